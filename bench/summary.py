"""Rewrites the targets table in README.md from bench/results/latest.json (after `npm run bench`).

Usage: python3 bench/summary.py
"""
import json
import os

HERE = os.path.dirname(__file__)
TARGETS = {"records": ("3.5×", "6.5×"), "records-dicts": ("1.5×", "3.0×"), "floats": ("2.5×", "1.0×"), "ints": ("1.5×", "1.2×"),
           "strings": ("1.0×", "2.5×"), "blob": ("3.5×", "1.1×"), "deep": ("7.0×", "2.0×")}
NAMES = {"records": "records, generated typed codec", "records-dicts": "records as dicts, generic"}


def main():
    rows = json.load(open(os.path.join(HERE, "results", "latest.json")))["results"]

    def get(w, op, impl):
        return next((x for x in rows if x["workload"] == w and x["protocol"] == 4 and x["op"] == op and x["impl"] == impl), None)

    def ratio(x):
        return f"{x['ratioToCPython']:.2f}×" if x and x.get("ratioToCPython") else "—"

    lines = ["| workload (protocol 4) | decode, ours | encode, ours | target decode / encode | best peer here (decode / encode) |", "|---|---:|---:|---|---|"]
    for w in TARGETS:
        impl = "typed-pickle (generated codec)" if w == "records" else "typed-pickle generic"
        peers = []
        for op in ("decode", "encode"):
            candidates = [x for x in rows if x["workload"] == w and x["protocol"] == 4 and x["op"] == op and x.get("ratioToCPython")
                          and not x["impl"].startswith(("typed-pickle", "CPython"))]
            best = max(candidates, key=lambda x: x["ratioToCPython"], default=None)
            note = " (views, no copies)" if best and w == "blob" and op == "decode" and best["impl"] == "msgpackr" else ""
            peers.append(f"{best['impl']} {best['ratioToCPython']:.2f}×{note}" if best else "—")
        t = TARGETS[w]
        lines.append(f"| {NAMES.get(w, w)} | {ratio(get(w, 'decode', impl))} | {ratio(get(w, 'encode', impl))} | ≥ {t[0]} / ≥ {t[1]} | {peers[0]} / {peers[1]} |")
    readme = os.path.join(HERE, "..", "README.md")
    text = open(readme, encoding="utf8").read()
    start = text.index("| workload (protocol 4) | decode, ours |")
    end = text.index("\n\nMemory:", start)
    open(readme, "w", encoding="utf8").write(text[:start] + "\n".join(lines) + text[end:])
    print("\n".join(lines))


if __name__ == "__main__":
    main()
