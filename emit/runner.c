/* xlate-run, the host program behind `xlate --run GUEST` (installed next to xlate): the runtime
 * with an empty guest image of its own. It runs only the AArch64 ELF that XLATE_GUEST names,
 * which the runtime loads and interprets (runtime/start.c), as for an execve of a guest program
 * by a translated one. */
#include "../runtime/rt.h"

const struct rt_image xlate_image = {.name = "xlate-run"};
