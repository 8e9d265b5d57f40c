/* Exception generation, hints and the system registers user code may touch. */
#include "sem.h"

SEM(unallocated) { rt_undefined(c, in->pc, in->word); }

/* C6.2.378 SVC: the syscall number and arguments are in registers; the runtime reads them. */
SEM(svc)
{
    (void)in;
    rt_svc(c);
}

/* C6.2.41 BRK */
SEM(brk) { rt_breakpoint(c, in->pc); }

SEM(nop)
{
    (void)c;
    (void)in;
}
