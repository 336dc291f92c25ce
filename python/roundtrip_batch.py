"""Reads tagged specs (one JSON object per stdin line: {"spec": …}), builds each value, pickles it
at protocols 0–5 and prints, per input line, the pickles and what CPython loads back, tagged:

  {"pickles": [hex0, …, hex5], "expected": [tagged0, …, tagged5]}

One process for the whole batch. Usage: python3 python/roundtrip_batch.py < specs.jsonl
"""
import json
import pickle
import sys

from tagged import from_tagged, to_tagged


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        value = from_tagged(json.loads(line)["spec"])
        pickles, expected = [], []
        for protocol in range(6):
            data = pickle.dumps(value, protocol=protocol)
            pickles.append(data.hex())
            expected.append(to_tagged(pickle.loads(data)))
        sys.stdout.write(json.dumps({"pickles": pickles, "expected": expected}, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
