"""Known differences of the oracle from the Arm ARM (oracle_known.txt; its header gives the
format): which culprit words of difftest.py are qemu's mistakes rather than ours."""
import os

DEFAULT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "oracle_known.txt")
_CLASSES = {16: (10, 5), 32: (23, 8), 64: (52, 11)}  # size: (fraction bits, exponent bits)


def fpclass(bits, size):
    frac, exp = _CLASSES[size]
    e = (bits >> frac) & ((1 << exp) - 1)
    f = bits & ((1 << frac) - 1)
    if e == 0:
        return "zero" if f == 0 else "subnormal"
    if e != (1 << exp) - 1:
        return "normal"
    if f == 0:
        return "inf"
    return "qnan" if f >> (frac - 1) else "snan"


def fpsign(bits, size):
    return (bits >> (size - 1)) & 1


class Entry:
    def __init__(self, where, row, condition, difference, reason):
        self.where, self.row, self.reason = where, row, reason
        self.condition = compile(condition, where, "eval")
        f = difference.split()
        if len(f) != 4 or not reason:
            raise ValueError(f"{where}: want ROW | CONDITION | REG MASK QEMU OURS | REASON")
        self.reg = f[0]
        self.mask, self.qemu, self.ours = (int(x, 0) for x in f[1:])
        self.count = 0

    def holds(self, word, before):
        """Is the condition true of the word run from the state `before` (regs() of a record)?"""
        fpcr = before["fpcr"]
        env = {"w": word, "rd": word & 31, "rn": (word >> 5) & 31, "ra": (word >> 10) & 31,
               "rm": (word >> 16) & 31, "nzcv": before["nzcv"], "fpcr": fpcr,
               "fpsr": before["fpsr"], "FZ": (fpcr >> 24) & 1, "DN": (fpcr >> 25) & 1,
               "AHP": (fpcr >> 26) & 1, "FZ16": (fpcr >> 19) & 1, "RMODE": (fpcr >> 22) & 3,
               "x": lambda i: before[f"x{i}"] if i < 31 else 0,
               "v": lambda i: before[f"v{i}"], "d": lambda i: before[f"v{i}"] & (2**64 - 1),
               "s": lambda i: before[f"v{i}"] & (2**32 - 1),
               "h": lambda i: before[f"v{i}"] & 0xffff, "fpclass": fpclass, "fpsign": fpsign}
        return bool(eval(self.condition, {"__builtins__": {}}, env))

    def explains(self, qemu, ours):
        """Do the result states (regs() of records) differ in exactly this entry's way?"""
        differing = [k for k in qemu if qemu[k] != ours[k]]
        if differing != [self.reg]:
            return False
        q, o = qemu[self.reg], ours[self.reg]
        return (q ^ o) & ~self.mask == 0 and q & self.mask == self.qemu and \
            o & self.mask == self.ours


def load(path=DEFAULT):
    entries = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = [x.strip() for x in line.split(" | ")]
            if len(fields) != 4:
                raise ValueError(f"{path}:{n}: want ROW | CONDITION | DIFFERENCE | REASON")
            entries.append(Entry(f"{path}:{n}", *fields))
    return entries


def match(entries, row, word, before, after):
    """The entry explaining a culprit: row and word, the state it ran from, and the states it
    produced alone ({engine: regs()}, qemu and ours); None when none does."""
    for e in entries:
        if e.row == row and e.holds(word, before) and all(
                e.explains(after["qemu"], after[x]) for x in after if x != "qemu"):
            e.count += 1
            return e
    return None
