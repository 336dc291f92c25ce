"""Pickles of python/myapp/legacy.py's classes for test/infer/.

  legacy_samples.py write DIR   writes DIR/p{0..5}.pkl (one Record each), DIR/many.pkl (several
                                pickles in one file, protocol 4) and DIR/nested/more.pkl; prints a
                                JSON line per pickle: {"file", "protocol", "hex"}
  legacy_samples.py setfree     prints JSON lines {"root", "protocol", "hex"}: pickles without a set
                                (a Node tree with its cycle, an Address, a Pair) at protocols 2-5
  legacy_samples.py compare     stdin: JSON lines {"original": hex, "back": hex}; prints one JSON
                                line each: true when both load to equal values (same() below)
"""
import datetime
import decimal
import enum
import json
import os
import pickle
import sys
import types
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from myapp.legacy import Address, Node, Pair, record  # noqa: E402


def write(out):
    os.makedirs(os.path.join(out, "nested"), exist_ok=True)
    files = {}
    for protocol in range(6):
        r = record(protocol)
        if protocol < 2:
            r.point = None  # CPython pickles a __slots__ class at protocols 2+ only
        files[f"p{protocol}.pkl"] = [(protocol, pickle.dumps(r, protocol=protocol))]
    files["many.pkl"] = [(4, pickle.dumps(record(i), protocol=4)) for i in range(6, 9)]
    files["nested/more.pkl"] = [(2, pickle.dumps(record(9), protocol=2))]
    for name, pickles in files.items():
        with open(os.path.join(out, name), "wb") as f:
            for protocol, data in pickles:
                f.write(data)
                print(json.dumps({"file": name, "protocol": protocol, "hex": data.hex()}))


SCALARS = (type(None), bool, int, float, str, bytes, bytearray, decimal.Decimal, uuid.UUID, datetime.date, datetime.time, datetime.timedelta)


def same(a, b, pairs):
    """Equal values with the same sharing and cycles: an object of `a` met again must be met again in
    `b` at the same place. An int and a float of equal value are equal (a schema's float holds both)."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, (enum.Enum, type, types.FunctionType, types.BuiltinFunctionType)):
        return a is b
    if isinstance(a, SCALARS) or isinstance(a, (set, frozenset)):
        return a == b
    if id(a) in pairs:
        return pairs[id(a)][1] is b
    pairs[id(a)] = (a, b)  # both kept alive: the reductions below are temporaries whose ids would be reused
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y, pairs) for x, y in zip(a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k], pairs) for k in a)
    ra, rb = a.__reduce_ex__(4), b.__reduce_ex__(4)
    return len(ra) == len(rb) and ra[0] is rb[0] and all(same(x, y, pairs) for x, y in zip(ra[1:], rb[1:]))


def setfree():
    root = Node("root", None, [])
    root.children += [Node("a", root, []), Node("b", root, [])]
    for protocol in range(2, 6):
        for name, value in (("Node", root), ("Address", Address("Elm", None)), ("Pair", Pair("k", 5))):
            print(json.dumps({"root": name, "protocol": protocol, "hex": pickle.dumps(value, protocol=protocol).hex()}))


def compare():
    for line in sys.stdin:
        case = json.loads(line)
        a = pickle.loads(bytes.fromhex(case["original"]))
        b = pickle.loads(bytes.fromhex(case["back"]))
        print(json.dumps(same(a, b, {})))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    elif sys.argv[1] == "setfree":
        setfree()
    else:
        compare()
