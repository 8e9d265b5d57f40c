/* The scalar fast path's result tests (fp_ops.h) as the interpreter runs them. The translator
 * defines its own for the host CPU (emit/fp_tests.c); these are plain C, for any x86-64. */
#include "fp_ops.h"

static bool some_not_all(uint64_t x, uint64_t m)
{
    return (x & m) != 0 && (x & m) != m;
}

bool fp_test_a_d(double r, v2u64 m)
{
    return some_not_all(fp_bits_d(r), m[0]);
}
bool fp_test_nc_d(double r, v2u64 m)
{
    return (fp_bits_d(r) & m[0]) != m[0];
}
bool fp_test_a_s(float r, v2u64 m)
{
    return some_not_all(fp_bits_s(r), (uint32_t)m[0]);
}
bool fp_test_nc_s(float r, v2u64 m)
{
    return (fp_bits_s(r) & (uint32_t)m[0]) != (uint32_t)m[0];
}
