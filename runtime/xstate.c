/*
 * How much extended register state the floating-point slow-path entries (fp_slow_entry.S) save
 * around their call: XSAVE's area for every component the kernel enabled (CPUID leaf 0xD, EBX),
 * or 0 on a CPU without XSAVE, where FXSAVE's fixed 512 bytes hold all of it.
 */
#include "rt.h"

#include <cpuid.h>

uint32_t rt_xstate_size;

void rt_xstate_init(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_OSXSAVE))
        return;
    __cpuid_count(0xd, 0, a, b, c, d);
    rt_xstate_size = b;
}
