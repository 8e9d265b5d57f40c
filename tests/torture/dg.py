"""DejaGnu directives of a GCC torture test, evaluated for aarch64-linux-gnu.

The torture suite marks what a test needs in comments such as
  /* { dg-options "-fwrapv" } */
  /* { dg-require-effective-target trampolines } */
  /* { dg-skip-if "requires alloca" { ! alloca } { "-O0" } { "" } } */
Only what changes how the test is built or whether it runs here is honoured: dg-options (replace
the default "-w"), dg-additional-options (appended), dg-require-effective-target and dg-skip-if
(skip). Target selectors are evaluated for TRIPLET with the effective targets in EFFECTIVE; the
rest (dg-xfail-if, dg-require-stack-size with Linux's 8 MiB stack, dg-prune-output, ...) does not
matter for a run that only compares the translation with qemu-aarch64.
"""
import fnmatch
import re

TRIPLET = "aarch64-unknown-linux-gnu"

# Effective-target keywords (gcc/testsuite/lib/target-supports.exp) that hold for an LP64
# AArch64 Linux hosted target with glibc. Anything not listed is taken as false.
EFFECTIVE = {
    "alloca", "c99_runtime", "double64", "double64plus", "fileio", "fpic", "indirect_jumps",
    "int128", "int32", "int32plus", "label_values", "large_double", "lp64", "longlong64", "mmap",
    "nonlocal_goto", "ptr32plus", "return_address", "signal", "stdint_types", "sync_int_long",
    "sync_char_short", "trampolines", "unwrapped", "untyped_assembly", "weak_undefined", "alias",
    "weak",
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


def _selector(tokens):
    """Evaluates a selector expression: triplet globs and effective-target keywords joined by
    !, && and || (Tcl's precedence: ! binds tightest, then &&, then ||), braces grouping."""
    pos = 0

    def primary():
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok == "!":
            return not primary()
        if isinstance(tok, list):
            return _selector(tok)
        if "-" in tok or "*" in tok or "?" in tok:
            return fnmatch.fnmatchcase(TRIPLET, tok)
        return tok in EFFECTIVE

    def conj():
        nonlocal pos
        v = primary()
        while pos < len(tokens) and tokens[pos] == "&&":
            pos += 1
            v = primary() and v
        return v

    v = conj()
    while pos < len(tokens):
        if tokens[pos] != "||":
            # A plain list of triplets means any of them.
            v = conj() or v
            continue
        pos += 1
        v = conj() or v
    return v


def _tokens(text):
    """Words of a selector, with braced groups as nested lists."""
    out = []
    for w in tcl_words(text):
        if any(c.isspace() for c in w):
            out.append(_tokens(w))
        else:
            out.append(w)
    return out


def selects(sel):
    """True when a dg target selector ("target X", "X", "*-*-*", "! alloca") holds here."""
    toks = _tokens(sel)
    if toks and toks[0] in ("target", "xfail"):
        toks = toks[1:]
    return _selector(toks) if toks else True


def _options_match(patterns, flags):
    """dg-skip-if's include/exclude lists: does any pattern match any flag ("*" matches all)?"""
    pats = [p for p in tcl_words(patterns) if p]
    return any(fnmatch.fnmatchcase(f, p) for p in pats for f in flags + [""])


def evaluate(source, level_flags):
    """For one test at one level: (skip reason or None, options for the compiler).

    level_flags: the torture level's flags, e.g. ["-O2"], used to evaluate dg-skip-if."""
    options, extra, skip = ["-w"], [], None
    for d in directives(source):
        name, args = d[0], d[1:]
        if name == "dg-options" and args:
            if len(args) < 2 or selects(args[1]):
                options = tcl_words(args[0])
        elif name == "dg-additional-options" and args:
            if len(args) < 2 or selects(args[1]):
                extra += tcl_words(args[0])
        elif name == "dg-require-effective-target" and args:
            applies = len(args) < 2 or selects(args[1])
            if applies and args[0] not in EFFECTIVE:
                skip = skip or f"needs effective target {args[0]}"
        elif name == "dg-skip-if" and len(args) >= 2:
            include = args[2] if len(args) > 2 else "*"
            exclude = args[3] if len(args) > 3 else ""
            if (selects(args[1]) and _options_match(include, level_flags)
                    and not _options_match(exclude, level_flags)):
                skip = skip or f"dg-skip-if: {args[0] or 'unsupported'}"
    return skip, options + extra
