/*
 * C library routines that the translation leaves to the host's C library. A guest memcpy is a
 * loop of 16-byte loads and stores that translates into 8-byte host ones; the host's memmove
 * picks the widest vectors and `rep movsb` the machine has, as a native build would, so for
 * copies of kilobytes the translation ran at half the native speed (bench/README.md, memops).
 *
 * Only glibc's own implementations are recognized, by the names of its per-CPU variants: those
 * names start with two underscores, which C reserves for the implementation, so no program's
 * own function can be taken for one. A program that defines `memcpy` itself keeps it.
 *
 * What the caller sees is the same: the result in x0 (the destination), and memory changed as the
 * guest's routine changes it. C leaves memcpy of overlapping buffers undefined; glibc's generic
 * and SIMD memcpy copy them as memmove does, so memmove serves both.
 * The registers the guest routine would have used as scratch keep their values, which the
 * procedure call standard allows; a fault inside the host routine is reported near the guest
 * routine's address.
 */
#include "lift.h"

#include <string.h>

static const struct {
    const char *family;
    enum lift_routine routine;
} families[] = {
    {"__memcpy_", LIFT_MEMMOVE},
    {"__memmove_", LIFT_MEMMOVE},
    {"__memset_", LIFT_MEMSET},
};

/* glibc's variants (sysdeps/aarch64/multiarch): the suffixes its IFUNC resolvers choose among.
 * __memcpy_chk and the like are not among them: they check a size and may abort. */
static const char *const variants[] = {"generic", "simd",     "sve",       "mops", "a64fx",
                                       "falkor",  "thunderx", "thunderx2", "emag", "kunpeng",
                                       "zva64",   "oryon1",   "sve_zva64"};

enum lift_routine lift_routine_of(const char *name)
{
    for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
        size_t n = strlen(families[i].family);
        if (strncmp(name, families[i].family, n) != 0)
            continue;
        for (size_t k = 0; k < sizeof variants / sizeof *variants; k++)
            if (!strcmp(name + n, variants[k]))
                return families[i].routine;
    }
    return LIFT_ROUTINE_NONE;
}
