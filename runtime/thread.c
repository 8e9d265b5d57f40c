/* Guest threads: each has its own register file and runtime state. */
#include "rt.h"

#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static __thread struct rt_thread *self;

struct rt_thread *rt_self(void)
{
    return self;
}

struct rt_thread *rt_thread_new(void)
{
    struct rt_thread *t = calloc(1, sizeof *t);
    if (!t)
        rt_fatal("out of memory creating a thread");
    t->tid = (int)syscall(SYS_gettid);
    t->cpu.excl_addr = ~0ull;
    self = t;
    return t;
}
