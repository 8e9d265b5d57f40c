/* The register file's layout as data, for the state-promotion pass, traces and tests. */
#include "a64.h"

const struct a64_field a64_fields[] = {
#define CPU_REG(name, type)          {#name, offsetof(struct cpu, name), sizeof(type), 1},
#define CPU_ARRAY(name, type, count) {#name, offsetof(struct cpu, name), sizeof(type), count},
#include "cpu.def"
#undef CPU_REG
#undef CPU_ARRAY
};
const unsigned a64_nfields = sizeof a64_fields / sizeof a64_fields[0];
