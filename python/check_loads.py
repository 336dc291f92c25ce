"""Reads lines "hex expected-tagged-json" from stdin; loads each pickle with CPython's own
pickle.loads and prints, per line, {"ok": true} when it equals the value the tagged JSON describes
(both tagged by python/tagged.py, so Decimal text and set order are Python's own), else
{"ok": false, "got": …} or {"ok": false, "error": …}.

Usage: python3 python/check_loads.py < lines.txt
"""
import json
import pickle
import sys

from tagged import from_tagged, to_tagged


def main():
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line:
            continue
        hex_data, _, expected = line.partition(" ")
        try:
            got = to_tagged(pickle.loads(bytes.fromhex(hex_data)))
            want = to_tagged(from_tagged(json.loads(expected)))
            out = {"ok": True} if got == want else {"ok": False, "got": got, "want": want}
        except Exception as e:  # noqa: BLE001 - a failure to load is the answer
            out = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
