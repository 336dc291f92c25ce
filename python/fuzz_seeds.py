"""The fuzzer's seed corpus: pickles CPython writes, printed as JSON lines {"name": …, "hex": …}.

Values of every kind the reader knows (nested containers, sharing and cycles, big ints, floats
including nan and -0.0, strs with lone surrogates, bytes, bytearray, sets, the datetime family,
Decimal, UUID, OrderedDict, complex, enums, the python/myapp classes behind schemas/) at protocols
0-5, plus test.pickletester's DATA* pickles. Made at run time (nothing binary is committed).

Usage: python3 python/fuzz_seeds.py > seeds.jsonl
"""
import collections
import datetime
import decimal
import json
import os
import pickle
import sys
import uuid
import zoneinfo

sys.path.insert(0, os.path.dirname(__file__))
from myapp.catalog import Color, Priority  # noqa: E402
from myapp.models import Address  # noqa: E402
from schema_samples import samples  # noqa: E402

from test import pickletester  # noqa: E402


def values():
    shared = [1, 2]
    cycle = []
    cycle.append(cycle)
    self_tuple_holder = []
    self_tuple = (self_tuple_holder,)
    self_tuple_holder.append(self_tuple)
    d = {}
    d["me"] = d
    utc = datetime.timezone.utc
    cet = datetime.timezone(datetime.timedelta(hours=1), "CET")
    yield "none", None
    yield "bools", [True, False]
    yield "small_ints", [0, 1, -1, 255, 256, 65535, 65536, 2**31 - 1, -(2**31)]
    yield "big_ints", [2**31, -(2**31) - 1, 2**63, -(2**64), 2**2048 + 7, -(2**4000)]
    yield "floats", [0.0, -0.0, 1.5, float("nan"), float("inf"), float("-inf"), 1e-310, 1.7976931348623157e308]
    yield "strs", ["", "a", "héllo", "✓ \U0001F600", "\ud800", "a\udfffb", "\x00\n\r\\\x1a", "x" * 300]
    yield "bytes", [b"", b"\x00", b"\xff" * 3, b"abc" * 100]
    yield "bytearray", bytearray(b"\x00buf\xff")
    yield "tuples", [(), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4)]
    yield "sets", [set(), {1, 2, 3}, frozenset(), frozenset({"a", (1, 2)})]
    yield "dict", {"a": 1, 2: "b", (1, 2): [3], 1.5: None, None: True, frozenset({1}): b""}
    yield "nested", {"k": [{"x": (1, [2, {"y": {3}}])}], "l": [[[[[]]]]]}
    yield "sharing", [shared, shared, (shared, shared), {"s": shared}]
    yield "list_cycle", cycle
    yield "dict_cycle", d
    yield "tuple_cycle", self_tuple
    yield "datetimes", [
        datetime.datetime(2024, 1, 2, 3, 4, 5, 678901),
        datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=utc),
        datetime.datetime(2024, 11, 3, 1, 30, fold=1),
        datetime.datetime(1, 1, 1, tzinfo=cet),
        datetime.date(2024, 2, 29),
        datetime.time(23, 59, 59, 999999, tzinfo=utc),
        datetime.timedelta(days=-1, seconds=5, microseconds=7),
        cet,
        zoneinfo.ZoneInfo("Europe/Paris"),
    ]
    yield "decimal", [decimal.Decimal("3.14"), decimal.Decimal("-0"), decimal.Decimal("NaN"), decimal.Decimal("1E+999")]
    yield "uuid", uuid.UUID("12345678-1234-5678-1234-567812345678")
    yield "ordereddict", collections.OrderedDict([("b", 1), ("a", [2])])
    yield "complex", [complex(1, -2), complex(0.0, float("nan"))]
    yield "enums", [Color.GREEN, Priority.HIGH, Color.GREEN]
    yield "enum_color", Color.GREEN  # an enum member at the root: the generated loadsColor's input
    yield "enum_priority", Priority.HIGH
    yield "thousand_items", [list(range(1001)), {i: i for i in range(1000)}, set(range(1000))]
    yield "myapp_address", Address("1 Main St", "12345")  # samples() has Address only inside a User
    for name, (_cls, value) in samples().items():
        if name != "series":  # 2,500 floats: the small "series_of_one" has the same shape
            yield "myapp_" + name, value


def main():
    out = sys.stdout
    for name, value in values():
        for protocol in range(6):
            try:
                data = pickle.dumps(value, protocol=protocol)
            except (TypeError, pickle.PicklingError, AttributeError):
                continue  # e.g. __slots__ classes at protocols 0-1
            out.write(json.dumps({"name": f"{name}@{protocol}", "hex": data.hex()}) + "\n")
    for name in sorted(dir(pickletester)):
        data = getattr(pickletester, name)
        if name.startswith("DATA") and isinstance(data, bytes):
            out.write(json.dumps({"name": f"pickletester.{name}", "hex": data.hex()}) + "\n")


if __name__ == "__main__":
    main()
