"""What the translation says the machine has: AT_HWCAP and AT_HWCAP2 as a translated program
sees them. The advsimd-intrinsics tests require "hardware" effective targets (FP16 arithmetic,
dot product, ...); for a translator the hardware is what it implements and advertises, so those
targets are evaluated against these bits, not against what qemu-aarch64 emulates."""
import os
import struct
import subprocess

# Walks past argv and envp to the auxiliary vector and writes AT_HWCAP (16) and AT_HWCAP2 (26).
PROBE = """\
    .global _start
_start:
    ldr x0, [sp]
    add x1, sp, #16
    add x1, x1, x0, lsl #3
1:  ldr x2, [x1], #8
    cbnz x2, 1b
    adrp x3, caps
    add x3, x3, :lo12:caps
2:  ldp x4, x5, [x1], #16
    cbz x4, 4f
    cmp x4, #16
    b.ne 3f
    str x5, [x3]
3:  cmp x4, #26
    b.ne 2b
    str x5, [x3, #8]
    b 2b
4:  mov x0, #1
    mov x1, x3
    mov x2, #16
    mov x8, #64
    svc #0
    mov x0, #0
    mov x8, #93
    svc #0
    .data
caps: .quad 0, 0
"""

# Effective target -> (HWCAP word, bit) of the Linux arm64 ABI (asm/hwcap.h).
HW_TARGETS = {
    "arm_neon_hw": (0, 1),                # ASIMD
    "arm_v8_neon_hw": (0, 1),
    "arm_v8_2a_fp16_scalar_hw": (0, 9),   # FPHP
    "arm_v8_2a_fp16_neon_hw": (0, 10),    # ASIMDHP
    "arm_v8_1a_neon_hw": (0, 12),         # ASIMDRDM
    "arm_v8_3a_complex_neon_hw": (0, 14),  # FCMA
    "arm_v8_2a_dotprod_neon_hw": (0, 20),  # ASIMDDP
    "arm_v8_2a_i8mm_neon_hw": (1, 13),    # I8MM
    "arm_v8_2a_bf16_neon_hw": (1, 14),    # BF16
}


def probe(xlate, cc, directory):
    """(AT_HWCAP, AT_HWCAP2) of a program translated by xlate."""
    os.makedirs(directory, exist_ok=True)
    src, guest = os.path.join(directory, "hwcap.S"), os.path.join(directory, "hwcap")
    with open(src, "w") as f:
        f.write(PROBE)
    subprocess.run([cc, "-nostdlib", "-static", "-o", guest, src], check=True,
                   capture_output=True)
    subprocess.run([xlate, guest, "-o", guest + ".x", "-O0"], check=True, capture_output=True)
    out = subprocess.run([guest + ".x"], check=True, capture_output=True).stdout
    return struct.unpack("<2Q", out)


def hw_targets(caps):
    """The HW_TARGETS that the capabilities provide."""
    return {t for t, (word, bit) in HW_TARGETS.items() if caps[word] >> bit & 1}
