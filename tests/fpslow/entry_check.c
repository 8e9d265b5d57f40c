/*
 * The floating-point slow-path entry keeps LLVM's preserve_all promise (runtime/fp_slow_entry.S):
 * around a callee that overwrites every register the C convention lets it, each general register
 * but rax and r11 and each SSE register but xmm0 comes back with its value, and the callee's
 * result comes back in rax and xmm0. Checked with XSAVE (when the CPU has it) and with FXSAVE.
 */
#include "rt.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void check_run(const uint64_t in[24], uint64_t out[24]);

static const char *const names[24] = {"rcx",   "rdx",   "rsi",   "r8",    "r9",    "r10",
                                      "xmm1",  "xmm2",  "xmm3",  "xmm4",  "xmm5",  "xmm6",
                                      "xmm7",  "xmm8",  "xmm9",  "xmm10", "xmm11", "xmm12",
                                      "xmm13", "xmm14", "xmm15", "rax",   "xmm0",  "rdi"};

static int check(const char *how)
{
    uint64_t in[24], out[24];
    for (unsigned i = 0; i < 24; i++)
        in[i] = 0x0123456789abcdefull * (i + 1);
    check_run(in, out);
    uint64_t want[24];
    memcpy(want, in, sizeof want);
    want[21] = 7;                     /* rax: the result's flags */
    want[22] = 0x3ff8000000000000ull; /* xmm0: the result, 1.5 */
    int bad = 0;
    for (unsigned i = 0; i < 24; i++)
        if (out[i] != want[i]) {
            printf("%s: %s is %016" PRIx64 ", want %016" PRIx64 "\n", how, names[i], out[i],
                   want[i]);
            bad = 1;
        }
    printf("%s (%u bytes of extended state): %s\n", how, rt_xstate_size, bad ? "FAIL" : "ok");
    return bad;
}

int main(void)
{
    rt_xstate_init();
    int bad = rt_xstate_size ? check("XSAVE") : 0;
    rt_xstate_size = 0;
    return check("FXSAVE") | bad;
}
