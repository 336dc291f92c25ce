"""Prints pickles for the scanner's tests as one JSON object {name: hex}: real dangers and the safe
shapes that real services write (../shared/PICKLE-FACTS.md §12).

Usage: python3 python/scan_cases.py
"""
import enum
import functools
import json
import os
import pickle
import pickletools
import subprocess
import sys
import types
import zoneinfo


class Color(enum.Enum):
    RED = "red"


class Outer:
    class Inner:
        pass


class Evil:
    def __reduce__(self):
        return (os.system, ("echo owned",))


class Popen:
    def __reduce__(self):
        return (subprocess.Popen, (("echo", "I am a security breach!"),))


class EvalIt:
    def __reduce__(self):
        return (eval, ("1+1",))


def main():
    mod = types.ModuleType("shapes")
    mod.Color, mod.Outer = Color, Outer
    Color.__module__ = Outer.__module__ = "shapes"
    Outer.Inner.__module__ = "shapes"
    sys.modules["shapes"] = mod
    cases = {
        "os_system_p4": pickle.dumps(Evil(), 4),
        "os_system_p0": pickle.dumps(Evil(), 0),
        "popen_p2": pickle.dumps(Popen(), 2),
        "eval_p3": pickle.dumps(EvalIt(), 3),
        # The enum form of Python 3.11.2: getattr(cls, 'MEMBER') (3.11.7 writes cls('red')).
        "enum_getattr": b"\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x94\x8c\x07getattr\x94\x93\x94\x8c\x06shapes\x94\x8c\x05Color\x94\x93\x94\x8c\x03RED\x94\x86\x94R\x94.",
        "enum_value": pickle.dumps(Color.RED, 4),
        "nested_p2": pickle.dumps(Outer.Inner(), 2),
        "nested_p4": pickle.dumps(Outer.Inner(), 4),
        "zoneinfo": pickle.dumps(zoneinfo.ZoneInfo("Europe/Paris"), 4),
        "partial": pickle.dumps(functools.partial(int, base=2), 4),
        # getattr used to reach a dunder: a real danger.
        "getattr_dunder": b"\x80\x04\x8c\x08builtins\x94\x8c\x07getattr\x94\x93\x94\x8c\x08builtins\x94\x8c\x03str\x94\x93\x94\x8c\x0e__subclasses__\x94\x86\x94R\x94.",
        # STACK_GLOBAL assembled from strings memoised much earlier.
        "memo_strings": b"\x80\x04\x8c\x02os\x940\x8c\x06system\x940N0h\x00h\x01\x93\x94\x8c\x02id\x94\x85R.",
        # A global whose module name is computed by a REDUCE: unknowable, so dangerous.
        "computed_name": b"\x80\x04\x8c\x08builtins\x94\x8c\x03str\x94\x93\x8c\x02os\x85R\x8c\x06system\x93)R.",
        "clean": pickle.dumps({"a": [1, 2.0, "x"], "b": (None, True)}, 4),
        "truncated_after_danger": pickle.dumps(Evil(), 4)[:-3],
    }
    for data in cases.values():
        if data != cases["truncated_after_danger"]:
            pickletools.dis(data, out=open(os.devnull, "w"))  # each is a well-formed pickle
    print(json.dumps({k: v.hex() for k, v in cases.items()}))


if __name__ == "__main__":
    main()
