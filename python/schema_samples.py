"""Sample instances of the Python classes behind schemas/ (python/myapp), for the generator tests.

  python3 python/schema_samples.py dump     → {sample: {"class": …, "pickles": [hex0 … hex5]}}
                                              (null where CPython refuses: __slots__ at 0/1)
  python3 python/schema_samples.py check    ← lines "sample protocol hex"; → per line {"ok": …}

`check` loads each pickle with CPython's pickle.loads and compares it with the sample (==), and
checks the class and, for shared objects, identity.
"""
import datetime
import decimal
import json
import pickle
import sys
import uuid

from myapp.catalog import Category, Color, Everything, Money, Pair, Priority, Series, SlotPoint, Temperature
from myapp.db import DatabaseConnection
from myapp.models import Address, User

s = sys.intern  # strings as one object per value: what typed-pickle's writer assumes
UTC = datetime.timezone.utc


def samples():
    home = Address(s("1 Main St"), s("12345"))
    ann = User(s("Ann"), 37, 4.5, [s("chess"), s("go")], True, home, datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC))
    bob = User(s("Bob"), 41, 0.0, [], False, home, datetime.datetime(1999, 12, 31, 23, 59, 59, 1))
    nobody = User(s("Nobody"), 0, 0.0, [], True, None, datetime.datetime(2020, 2, 29))
    root = Category(s("root"))
    books = Category(s("books"), root)
    Category(s("novels"), books)
    Category(s("music"), root)
    everything = Everything(
        text=s("héllo ✓ \U0001F600"), flag=True, count=-12345, huge=2**80 + 1, ratio=-0.0,
        raw=b"\x00\xffbytes", buffer=bytearray(b"buf"), numbers=[1, 2, 3], pair=(s("pi"), 3.14159),
        tags={s("a"), s("b"), s("c")}, frozen=frozenset({10, 20}), counts={s("apples"): 3, s("pears"): 0},
        weights={s("w1"): 0.5, s("__proto__"): 1.5}, keyed_by_tuple={(1, 2): s("one-two"), (3, 4): s("three-four")},
        maybe=None, when=datetime.datetime(2024, 6, 1, 12, 0, 0, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        day=datetime.date(2024, 2, 29), clock=datetime.time(23, 59, 59, 999999), span=datetime.timedelta(days=-1, seconds=5, microseconds=7),
        price=decimal.Decimal("19.99"), id=uuid.UUID("12345678-1234-5678-1234-567812345678"), color=Color.GREEN,
        priority=Priority.HIGH, extra={s("nested"): [1, (2, 3)], s("none"): None}, point=SlotPoint(3, -4),
        pairs=[Pair(s("k1"), 1), Pair(s("k2"), 2)], temperature=Temperature(21.5, s("room")),
        money=Money(decimal.Decimal("9.99"), s("EUR")), labels=[s("new")],
    )
    minimal = Everything(**{**vars(everything), "nickname": s("Evy"), "maybe": s("present")})
    conn = DatabaseConnection(s("postgresql://db/app"), datetime.datetime(2024, 5, 6, 7, 8, 9, 123456))
    return {
        "user": ("User", ann),
        "users_sharing_an_address": ("User[]", [ann, bob, nobody]),
        "category_tree": ("Category", root),
        "everything": ("Everything", everything),
        "everything_with_nickname": ("Everything", minimal),
        "connection": ("DatabaseConnection", conn),
        "slot_point": ("SlotPoint", SlotPoint(1, 2)),
        "pair": ("Pair", Pair(s("only"), 7)),
        "temperature": ("Temperature", Temperature(-40.0, s("cold"))),
        "money": ("Money", Money(decimal.Decimal("0.01"), s("USD"))),
        # 2,500 floats: three list batches, and frames inside them at protocols 4–5
        "series": ("Series", Series(s("sine"), [((i * 7919) % 1000) / 7 - 60 for i in range(2500)] + [-0.0, float("inf")])),
        "series_of_one": ("Series", Series(s("one"), [1.5])),
    }


def main():
    table = samples()
    if sys.argv[1] == "dump":
        def dumps(value, p):
            try:
                return pickle.dumps(value, protocol=p).hex()
            except TypeError:
                return None

        out = {name: {"class": cls, "pickles": [dumps(value, p) for p in range(6)]} for name, (cls, value) in table.items()}
        print(json.dumps(out))
        return
    for line in sys.stdin:
        if not line.strip():
            continue
        name, protocol, hex_data = line.split()
        _, expected = table[name]
        try:
            got = pickle.loads(bytes.fromhex(hex_data))
            ok = got == expected and type(got) is type(expected)
            if ok and name == "users_sharing_an_address":
                ok = got[0].address is got[1].address  # one Address object, as in the original
            if ok and name == "category_tree":
                ok = got.children[0].parent is got  # the back-reference is the same object
            print(json.dumps({"ok": ok, "got": None if ok else repr(got)}))
        except Exception as e:  # noqa: BLE001 - a failure to load is the answer
            print(json.dumps({"ok": False, "got": f"{type(e).__name__}: {e}"}))


if __name__ == "__main__":
    main()
