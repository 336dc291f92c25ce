"""Rewrites the targets table in README.md from bench/results/latest.json (after `npm run bench`).

Usage: python3 bench/summary.py
"""
import json
import os

HERE = os.path.dirname(__file__)
TARGETS = {"records": (3.5, 6.5), "records-dicts": (1.5, 3.0), "floats": (2.5, 1.0), "ints": (1.5, 1.2),
           "strings": (1.0, 2.5), "blob": (3.5, 1.1), "deep": (7.0, 2.0)}
# (workload, label, our implementation for decode, for encode)
LINES = [
    ("records", "records, generated typed codec", "typed-pickle (generated codec)", "typed-pickle (generated codec)"),
    ("records-dicts", "records as dicts, generic", "typed-pickle generic", "typed-pickle generic"),
    ("floats", "floats, generic", "typed-pickle generic", "typed-pickle generic"),
    ("floats", "floats, `Float64Array` codec", "typed-pickle (Float64Array codec)", "typed-pickle (Float64Array codec)"),
    ("ints", "ints, generic", "typed-pickle generic", "typed-pickle generic"),
    ("strings", "strings, generic", "typed-pickle generic", "typed-pickle generic"),
    ("blob", "blob, generic (bytes copied)", "typed-pickle generic", "typed-pickle generic"),
    ("blob", "blob, generic (`viewBytes`)", "typed-pickle generic (viewBytes)", None),
    ("deep", "deep, generic", "typed-pickle generic", "typed-pickle generic"),
]


def main():
    rows = json.load(open(os.path.join(HERE, "results", "latest.json")))["results"]

    def get(w, op, impl):
        return next((x for x in rows if x["workload"] == w and x["protocol"] == 4 and x["op"] == op and x["impl"] == impl), None)

    def cell(x, target):
        if not x or not x.get("ratioToCPython"):
            return "—"
        r = x["ratioToCPython"]
        return f"{r:.2f}× {'✓' if r >= target else '✗'}"

    def best_peer(w, op):
        candidates = [x for x in rows if x["workload"] == w and x["protocol"] == 4 and x["op"] == op and x.get("ratioToCPython")
                      and not x["impl"].startswith(("typed-pickle", "CPython"))]
        best = max(candidates, key=lambda x: x["ratioToCPython"], default=None)
        if not best:
            return "—"
        note = " (views, no copies)" if w == "blob" and op == "decode" and best["impl"] == "msgpackr" else ""
        return f"{best['impl']} {best['ratioToCPython']:.2f}×{note}"

    lines = ["| workload (protocol 4) | decode, ours | encode, ours | target decode / encode | best peer here (decode / encode) |", "|---|---:|---:|---|---|"]
    for w, label, dec, enc in LINES:
        t = TARGETS[w]
        lines.append(f"| {label} | {cell(get(w, 'decode', dec), t[0])} | {cell(get(w, 'encode', enc), t[1]) if enc else '—'} | ≥ {t[0]}× / ≥ {t[1]}× | {best_peer(w, 'decode')} / {best_peer(w, 'encode')} |")
        if w == "records":
            # The stricter bar: CPython decoding with its garbage collector off.
            off = get(w, "decode", "CPython pickle (gc off)")
            ours = get(w, "decode", dec)
            if off and ours:
                lines.append(f"| records, typed codec vs CPython with gc off | {off['median'] / ours['median']:.2f}× | | (stricter bar) | |")
    readme = os.path.join(HERE, "..", "README.md")
    text = open(readme, encoding="utf8").read()
    start = text.index("| workload (protocol 4) | decode, ours |")
    end = text.index("\n\nMemory:", start)
    open(readme, "w", encoding="utf8").write(text[:start] + "\n".join(lines) + text[end:])
    print("\n".join(lines))


if __name__ == "__main__":
    main()
