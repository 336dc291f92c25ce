"""Reads hex pickles (one per stdin line, optionally followed by a space and a JSON options object
with "encoding") and prints, per line, what CPython's C unpickler makes of each under typed-pickle's
global rules (python/oracle.py, opaque mode):

  {"ok": true, "tagged": …}   or   {"ok": false, "error": "ExceptionType: message"}

Usage: python3 python/loads_batch.py < pickles.txt
"""
import json
import sys

from oracle import oracle_loads
from tagged import to_tagged


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        hex_data, _, options = line.partition(" ")
        kwargs = json.loads(options) if options else {}
        try:
            value = oracle_loads(bytes.fromhex(hex_data), opaque=True, **kwargs)
            out = {"ok": True, "tagged": to_tagged(value)}
        except Exception as e:  # noqa: BLE001 - every refusal is an answer here
            out = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(out, ensure_ascii=True) + "\n")


if __name__ == "__main__":
    main()
