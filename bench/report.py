"""The bench results as a text table, a CSV file and an SVG bar chart (written by hand: no
plotting library needed)."""
import csv
import math
from xml.sax.saxutils import escape


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def ratio(a, b):
    return a / b if a and b else None


def ratios(row, field="cpu"):
    """(translated/native, qemu/translated, qemu/native) of the medians, None where untimed."""
    n, t, q = (row.median(w, field) for w in ("native", "translated", "qemu"))
    return ratio(t, n), ratio(q, t), ratio(q, n)


def _f(v, fmt):
    return "-" if v is None else fmt % v


def _xlate(row, level):
    t = row.xlate.get(level)
    if t is None:
        return "-", "-"
    return ("%.1f" % t.wall if t.ok else "fail"), ("%d" % t.peak_mb if t.ok else "-")


COLUMNS = [("benchmark", "<17"), ("group", "<9"), ("native s", ">8"), ("transl s", ">8"),
           ("qemu s", ">8"), ("tr/nat", ">6"), ("qemu/tr", ">7"), ("-O1 s", ">6"),
           ("-O1 MB", ">6"), ("-O2 s", ">6"), ("-O2 MB", ">6"), ("Ir nat M", ">9"),
           ("Ir tr M", ">9"), ("Ir tr/nat", ">9")]


def table(rows, meta):
    line = " ".join("{:%s}" % fmt for _, fmt in COLUMNS)
    out = [f"{meta['xlate']} on {meta['machine']}; {meta['date']}; load average "
           f"{meta['load_start']} at start, {meta['load_end']} at end",
           line.format(*(c for c, _ in COLUMNS))]
    for r in rows:
        tn, qt, _ = ratios(r)
        ir_n, ir_t = r.ir.get("native"), r.ir.get("translated")
        out.append(line.format(
            r.name, r.group, _f(r.median("native", "cpu"), "%.3f"),
            _f(r.median("translated", "cpu"), "%.3f"), _f(r.median("qemu", "cpu"), "%.3f"),
            _f(tn, "%.2f"), _f(qt, "%.1f"), *_xlate(r, 1), *_xlate(r, 2),
            _f(ir_n and ir_n / 1e6, "%.1f"), _f(ir_t and ir_t / 1e6, "%.1f"),
            _f(ratio(ir_t, ir_n), "%.2f")))
    tn = geomean(ratios(r)[0] for r in rows)
    qt = geomean(ratios(r)[1] for r in rows)
    ir = geomean(ratio(r.ir.get("translated"), r.ir.get("native")) for r in rows)
    out.append(line.format("geometric mean", "", "", "", "", _f(tn, "%.2f"), _f(qt, "%.1f"),
                           "", "", "", "", "", "", _f(ir, "%.2f")))
    wtn = geomean(ratios(r, "wall")[0] for r in rows)
    wqt = geomean(ratios(r, "wall")[1] for r in rows)
    timed = sum(1 for r in rows if r.timed())
    out.append("")
    out.append(f"Times: median CPU seconds (user + system of the process) of {meta['runs']} "
               f"interleaved run(s), {meta['mode']} sizes; translated = xlate -O2. On wall "
               f"time the geometric means are tr/nat {_f(wtn, '%.2f')}, qemu/tr "
               f"{_f(wqt, '%.1f')}. {timed} of {len(rows)} benchmarks timed.")
    out.append("-O1/-O2 s and MB: xlate's wall seconds and peak memory for the translation. "
               "Ir: callgrind instruction counts (millions) at the callgrind size.")
    for r in rows:
        for n in r.notes:
            out.append(f"  {r.name}: {n}")
        if r.native_same is False:
            out.append(f"  {r.name}: the native build's output differs from the guest's "
                       "(expected for floating point: fused multiply-adds)")
    return "\n".join(out) + "\n"


def write_csv(rows, path):
    fields = ["benchmark", "group", "runs"]
    for w in ("native", "translated", "qemu"):
        fields += [f"{w}_cpu_s", f"{w}_wall_s", f"{w}_maxrss_kb"]
    fields += ["translated_over_native", "qemu_over_translated", "qemu_over_native",
               "translated_over_native_wall", "qemu_over_translated_wall"]
    for level in (1, 2):
        fields += [f"xlate_O{level}_wall_s", f"xlate_O{level}_cpu_s", f"xlate_O{level}_peak_mb"]
    fields += ["ir_native", "ir_translated", "ir_translated_over_native", "native_output_same",
               "notes"]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        for r in rows:
            d = {"benchmark": r.name, "group": r.group, "runs": len(r.times["translated"])}
            for what in ("native", "translated", "qemu"):
                for field, col in (("cpu", "cpu_s"), ("wall", "wall_s")):
                    v = r.median(what, field)
                    d[f"{what}_{col}"] = "" if v is None else "%.4f" % v
                v = r.median(what, "maxrss_kb")
                d[f"{what}_maxrss_kb"] = "" if v is None else int(v)
            for key, v in zip(("translated_over_native", "qemu_over_translated",
                               "qemu_over_native"), ratios(r)):
                d[key] = "" if v is None else "%.4f" % v
            for key, v in zip(("translated_over_native_wall", "qemu_over_translated_wall"),
                              ratios(r, "wall")):
                d[key] = "" if v is None else "%.4f" % v
            for level, t in r.xlate.items():
                if t.ok:
                    d[f"xlate_O{level}_wall_s"] = t.wall
                    d[f"xlate_O{level}_cpu_s"] = t.cpu
                    d[f"xlate_O{level}_peak_mb"] = t.peak_mb
            d["ir_native"] = r.ir.get("native", "")
            d["ir_translated"] = r.ir.get("translated", "")
            v = ratio(r.ir.get("translated"), r.ir.get("native"))
            d["ir_translated_over_native"] = "" if v is None else "%.4f" % v
            d["native_output_same"] = "" if r.native_same is None else int(r.native_same)
            d["notes"] = "; ".join(r.notes)
            w.writerow(d)


# The chart: one group of two horizontal bars per benchmark (translated and qemu-aarch64 CPU
# time relative to native), on a logarithmic axis.
LABEL_W, PLOT_W, ROW_H, BAR_H, TOP, RIGHT = 150, 620, 30, 11, 70, 60
COLORS = {"translated": "#2b6cb0", "qemu": "#dd8833"}


def write_svg(rows, meta, path):
    entries = [(r.name, ratios(r)[0], ratios(r)[2], "; ".join(r.notes)) for r in rows]
    entries.append(("geometric mean", geomean(e[1] for e in entries),
                    geomean(e[2] for e in entries), ""))
    values = [v for _, t, q, _ in entries for v in (t, q) if v]
    lo = min([0.5] + values) / 1.2
    hi = max([10.0] + values) * 1.2
    span = math.log(hi) - math.log(lo)

    def x(v):
        return LABEL_W + PLOT_W * (math.log(v) - math.log(lo)) / span

    height = TOP + ROW_H * len(entries) + 40
    width = LABEL_W + PLOT_W + RIGHT
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'font-family="sans-serif" font-size="12">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="10" y="20" font-size="15" font-weight="bold">CPU time relative to native '
         f'x86-64 (log scale; lower is better)</text>',
         f'<text x="10" y="38" fill="#555">{escape(meta["xlate"])}, {escape(meta["machine"])}, '
         f'{escape(meta["date"])}, median of {meta["runs"]}</text>']
    for i, (what, label) in enumerate((("translated", "xlate -O2"), ("qemu", "qemu-aarch64"))):
        lx = LABEL_W + 200 * i
        s.append(f'<rect x="{lx}" y="48" width="12" height="12" fill="{COLORS[what]}"/>')
        s.append(f'<text x="{lx + 16}" y="58">{label}</text>')
    bottom = TOP + ROW_H * len(entries)
    tick = 0.1
    while tick <= hi:
        for m in (1, 2, 5):
            v = tick * m
            if lo <= v <= hi:
                s.append(f'<line x1="{x(v):.1f}" y1="{TOP - 4}" x2="{x(v):.1f}" y2="{bottom}" '
                         f'stroke="{"#333" if v == 1 else "#ddd"}"/>')
                s.append(f'<text x="{x(v):.1f}" y="{bottom + 16}" text-anchor="middle">'
                         f'{v:g}x</text>')
        tick *= 10
    for i, (name, t, q, note) in enumerate(entries):
        y = TOP + ROW_H * i
        weight = ' font-weight="bold"' if name == "geometric mean" else ""
        s.append(f'<text x="{LABEL_W - 8}" y="{y + ROW_H / 2 + 4}" text-anchor="end"{weight}>'
                 f'{escape(name)}</text>')
        if t is None:
            s.append(f'<text x="{LABEL_W + 6}" y="{y + ROW_H / 2 + 4}" fill="#c00">'
                     f'{escape(note[:90] or "not timed")}</text>')
            continue
        for j, (what, v) in enumerate((("translated", t), ("qemu", q))):
            if v is None:
                continue
            by = y + 4 + j * BAR_H
            s.append(f'<rect x="{LABEL_W}" y="{by}" width="{max(x(v) - LABEL_W, 1):.1f}" '
                     f'height="{BAR_H - 1}" fill="{COLORS[what]}"/>')
            s.append(f'<text x="{x(v) + 4:.1f}" y="{by + BAR_H - 2}" font-size="10">'
                     f'{v:.2f}</text>')
    s.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(s) + "\n")
