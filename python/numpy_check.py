"""numpy loads what typed-pickle wrote: each stdin line is {"hex", "buffers": [hex] | null, "expect"}
(expect as python/numpy_samples.py's describe() gives it); prints {"ok", "got" | "error"} per line."""

import json
import pickle
import sys

from numpy_samples import describe


def main():
    for line in sys.stdin:
        case = json.loads(line)
        try:
            # Writable buffers, as a receiver of out-of-band data usually holds them.
            buffers = [bytearray.fromhex(b) for b in case["buffers"]] if case["buffers"] is not None else None
            value = pickle.loads(bytes.fromhex(case["hex"]), buffers=buffers)
            got = describe(value)
            print(json.dumps({"ok": got == case["expect"], "got": got}))
        except Exception as e:  # reported, not raised: one bad case must not hide the others
            print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))


if __name__ == "__main__":
    main()
