"""Reads tagged specs (one JSON object per stdin line: {"spec": …}), builds each value with every
str interned, and prints, per line, CPython's pickles of it at protocols 0–5 and the value as built,
tagged in Python's own order (set members as Python iterates them), so that typed-pickle can build
the same value and compare its bytes:

  {"ordered": <tagged, Python order>, "pickles": [hex0, …, hex5]}

Usage: python3 python/writer_batch.py < specs.jsonl
"""
import json
import pickle
import sys

from tagged import from_tagged, to_tagged


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        value = from_tagged(json.loads(line)["spec"], intern=True)
        pickles = [pickle.dumps(value, protocol=p).hex() for p in range(6)]
        out = {"ordered": to_tagged(value, ordered=True), "pickles": pickles}
        sys.stdout.write(json.dumps(out, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
