"""DejaGnu directives of a GCC torture test, evaluated for aarch64-linux-gnu.

The torture suite marks what a test needs in comments such as
  /* { dg-options "-fwrapv" } */
  /* { dg-require-effective-target trampolines } */
  /* { dg-skip-if "requires alloca" { ! alloca } { "-O0" } { "" } } */
Only what changes how the test is built or whether it runs here is honoured: dg-options (replace
the suite's default options), dg-additional-options and dg-add-options (appended),
dg-require-effective-target, dg-skip-if and dg-do other than run (skip). Target selectors are
evaluated for TRIPLET with a Target's effective targets; the rest (dg-xfail-if,
dg-require-stack-size with Linux's 8 MiB stack, dg-final, ...) does not matter for a run that
only compares the translation with qemu-aarch64.
"""
import fnmatch
import re

TRIPLET = "aarch64-unknown-linux-gnu"

# Effective-target keywords (gcc/testsuite/lib/target-supports.exp) that hold for an LP64
# AArch64 Linux hosted target with glibc. Anything not listed is taken as false.
BASE_EFFECTIVE = {
    "alloca", "c99_runtime", "double64", "double64plus", "fileio", "fpic", "indirect_jumps",
    "int128", "int32", "int32plus", "label_values", "large_double", "lp64", "longlong64", "mmap",
    "nonlocal_goto", "ptr32plus", "return_address", "signal", "stdint_types", "sync_int_long",
    "sync_char_short", "trampolines", "unwrapped", "untyped_assembly", "weak_undefined", "alias",
    "weak",
}

# Compiler-support targets of the AdvSIMD tests: gcc 12 and clang 19 accept all of these.
NEON_OK = {
    "arm_neon_ok", "arm_v8_neon_ok", "arm_v8_1a_neon_ok", "arm_v8_2a_fp16_scalar_ok",
    "arm_v8_2a_fp16_neon_ok", "arm_v8_2a_dotprod_neon_ok", "arm_v8_2a_bf16_neon_ok",
    "arm_v8_2a_i8mm_ok", "arm_v8_3a_complex_neon_ok", "arm_crypto_ok", "aarch64_asm_bf16_ok",
    "arm_neon_fp16_ok",
}

# dg-add-options FEATURE for AArch64 (add_options_for_* in target-supports.exp); features not
# listed add nothing here (stack_size, ieee, arm_neon, ...).
ADD_OPTIONS = {
    "arm_v8_1a_neon": ["-march=armv8.1-a"],
    "arm_v8_2a_fp16_scalar": ["-march=armv8.2-a+fp16"],
    "arm_v8_2a_fp16_neon": ["-march=armv8.2-a+fp16"],
    "arm_v8_2a_dotprod_neon": ["-march=armv8.2-a+dotprod"],
    "arm_v8_2a_bf16_neon": ["-march=armv8.2-a+bf16"],
    "arm_v8_2a_i8mm": ["-march=armv8.2-a+i8mm"],
    "arm_v8_3a_complex_neon": ["-march=armv8.3-a"],
    "arm_crypto": ["-march=armv8-a+crypto"],
}


def tcl_words(text):
    """Splits a Tcl list into its words: {braced} and "quoted" words lose their delimiters."""
    words, i, n = [], 0, len(text)
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            break
        if text[i] == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            words.append(text[i + 1:j - 1])
            i = j
        elif text[i] == '"':
            j = text.find('"', i + 1)
            j = n if j < 0 else j
            words.append(text[i + 1:j])
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace():
                j += 1
            words.append(text[i:j])
            i = j
    return words


def directives(source):
    """The dg-* directives of a source text, each as [name, arg, ...]."""
    out = []
    for m in re.finditer(r"\{\s*dg-", source):
        depth, j = 0, m.start()
        while j < len(source):
            depth += {"{": 1, "}": -1}.get(source[j], 0)
            j += 1
            if depth == 0:
                break
        words = tcl_words(source[m.start() + 1:j - 1])
        if words:
            out.append(words)
    return out


def _tokens(text):
    """Words of a selector, with braced groups as nested lists."""
    out = []
    for w in tcl_words(text):
        if any(c.isspace() for c in w):
            out.append(_tokens(w))
        else:
            out.append(w)
    return out


def _options_match(patterns, flags):
    """dg-skip-if's include/exclude lists: does any pattern match any flag ("*" matches all)?"""
    pats = [p for p in tcl_words(patterns) if p]
    return any(fnmatch.fnmatchcase(f, p) for p in pats for f in flags + [""])


NOT_RUN = "not a run test"


class Target:
    """aarch64-linux-gnu with a set of effective targets, and the options tests start from."""

    def __init__(self, effective, default_options):
        self.effective, self.default_options = set(effective), list(default_options)

    def _selector(self, tokens):
        """Evaluates a selector expression: triplet globs and effective-target keywords joined
        by !, && and || (Tcl's precedence: ! binds tightest, then &&, then ||), braces grouping."""
        pos = 0

        def primary():
            nonlocal pos
            tok = tokens[pos]
            pos += 1
            if tok == "!":
                return not primary()
            if isinstance(tok, list):
                return self._selector(tok)
            if "-" in tok or "*" in tok or "?" in tok:
                return fnmatch.fnmatchcase(TRIPLET, tok)
            return tok in self.effective

        def conj():
            nonlocal pos
            v = primary()
            while pos < len(tokens) and tokens[pos] == "&&":
                pos += 1
                v = primary() and v
            return v

        v = conj()
        while pos < len(tokens):
            if tokens[pos] == "||":
                pos += 1
            v = conj() or v  # a plain list of triplets means any of them
        return v

    def selects(self, sel):
        """True when a dg target selector ("target X", "X", "*-*-*", "! alloca") holds here."""
        toks = _tokens(sel)
        if toks and toks[0] in ("target", "xfail"):
            toks = toks[1:]
        return self._selector(toks) if toks else True

    def evaluate(self, source, level_flags):
        """For one test at one level: (skip reason or None, options for the compiler).

        level_flags: the level's flags, e.g. ["-O2"], against which dg-skip-if is evaluated."""
        options, extra, skip = self.default_options, [], None
        for d in directives(source):
            name, args = d[0], d[1:]
            # An "xfail" selector (dg-do run { xfail ... }) still runs the test.
            applies = len(args) < 2 or args[1].split()[:1] == ["xfail"] or self.selects(args[1])
            if name == "dg-do" and args:
                if args[0] != "run" and applies:
                    skip = skip or f"dg-do {args[0]}: {NOT_RUN}"
                elif args[0] == "run" and not applies:
                    skip = skip or "dg-do run: not for this target"
            elif name == "dg-options" and args and applies:
                options = tcl_words(args[0])
            elif name == "dg-additional-options" and args and applies:
                extra += tcl_words(args[0])
            elif name == "dg-add-options" and args:
                extra += ADD_OPTIONS.get(args[0], [])
            elif name == "dg-require-effective-target" and args and applies:
                if args[0] not in self.effective:
                    skip = skip or f"needs effective target {args[0]}"
            elif name == "dg-skip-if" and len(args) >= 2:
                include = args[2] if len(args) > 2 else "*"
                exclude = args[3] if len(args) > 3 else ""
                if (self.selects(args[1]) and _options_match(include, level_flags)
                        and not _options_match(exclude, level_flags)):
                    skip = skip or f"dg-skip-if: {args[0] or 'unsupported'}"
        return skip, options + extra
