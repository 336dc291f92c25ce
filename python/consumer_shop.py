"""The Python side of the consumer tests (test/consumer, test/browser): the classes a user's schema
(test/consumer/fixtures/shop/schemas/shop.ts) stands for, defined here in an in-memory module
`shop.models` (the user's service would have it on disk), and one sample order.

  python3 python/consumer_shop.py write DIR            → DIR/py-0.pkl … DIR/py-5.pkl (the sample order)
  python3 python/consumer_shop.py check FILE PROTOCOL  ← a pickle written by TypeScript: CPython must
                                                         load it to an order equal to the sample, and at
                                                         protocols 2–5 it must be pickle.dumps(sample)'s bytes
  python3 python/consumer_shop.py plain-write FILE     → a pickle of plain values (no classes), protocol 4
  python3 python/consumer_shop.py plain-check FILE     ← plain values written by JavaScript: equal, and
                                                         CPython's own bytes at protocol 4

A failed check prints what differs (with pickletools listings) and exits 1.
"""
import datetime
import decimal
import enum
import io
import pickle
import pickletools
import sys
import types
from dataclasses import dataclass, field
from typing import Optional

s = sys.intern  # strings as one object per value: what typed-pickle's writer assumes


class Status(enum.Enum):
    PENDING = "pending"
    SHIPPED = "shipped"


@dataclass
class Customer:
    name: str
    email: Optional[str]


@dataclass
class Line:
    sku: str
    quantity: int
    unit_price: decimal.Decimal


@dataclass
class Order:
    number: int
    customer: Customer
    lines: list
    status: Status
    placed: datetime.datetime
    stock: dict
    discount: Optional[float] = None
    tags: list = field(default_factory=list)


def install_module():
    """Makes `shop.models` importable, as the user's service would have it, so pickle names these classes by it."""
    package = types.ModuleType("shop")
    package.__path__ = []
    module = types.ModuleType("shop.models")
    for cls in (Status, Customer, Line, Order):
        cls.__module__ = "shop.models"
        setattr(module, cls.__name__, cls)
    package.models = module
    sys.modules["shop"] = package
    sys.modules["shop.models"] = module


def sample_order():
    """The same order as sampleOrder() in test/consumer/fixtures/shop/src/sample.ts."""
    return Order(
        number=1042,
        customer=Customer(s("Ann Lee"), None),
        lines=[
            Line(s("BK-001"), 2, decimal.Decimal("19.99")),
            Line(s("PEN-7"), 10, decimal.Decimal("0.5")),
        ],
        status=Status.SHIPPED,
        placed=datetime.datetime(2024, 5, 17, 9, 30, 15, 123456, tzinfo=datetime.timezone.utc),
        stock={s("BK-001"): 7, s("PEN-7"): 120},
        discount=0.15,
        tags=[s("gift"), s("priority ✓")],
    )


def plain_value():
    return {
        s("name"): s("plain ✓"),
        s("count"): 3,
        s("big"): 2**70 + 5,
        s("ratio"): 0.25,
        s("items"): [1, s("two"), None, True],
        s("pair"): (s("x"), -1),
        s("raw"): b"\x00\xff",
    }


def listing(data):
    out = io.StringIO()
    try:
        pickletools.dis(data, out)
    except Exception as e:  # a listing is only shown to explain a failure
        out.write(f"(pickletools: {e})")
    return out.getvalue()


def fail(message, ours=None, theirs=None):
    print(message, file=sys.stderr)
    if ours is not None:
        print("-- written by TypeScript:\n" + listing(ours), file=sys.stderr)
        print("-- pickle.dumps:\n" + listing(theirs), file=sys.stderr)
    sys.exit(1)


def check(data, expected, protocol):
    loaded = pickle.loads(data)
    if loaded != expected:
        fail(f"loads to {loaded!r}\nexpected {expected!r}")
    theirs = pickle.dumps(expected, protocol=protocol)
    if protocol >= 2 and data != theirs:
        fail(f"protocol {protocol}: the bytes differ from pickle.dumps's", data, theirs)


def main(argv):
    install_module()
    command = argv[1]
    if command == "write":
        for protocol in range(6):
            with open(f"{argv[2]}/py-{protocol}.pkl", "wb") as f:
                f.write(pickle.dumps(sample_order(), protocol=protocol))
    elif command == "check":
        with open(argv[2], "rb") as f:
            check(f.read(), sample_order(), int(argv[3]))
    elif command == "plain-write":
        with open(argv[2], "wb") as f:
            f.write(pickle.dumps(plain_value(), protocol=4))
    elif command == "plain-check":
        with open(argv[2], "rb") as f:
            check(f.read(), plain_value(), 4)
    else:
        fail(f"unknown command {command!r}")
    print("ok")


if __name__ == "__main__":
    main(sys.argv)
