"""Classes a legacy service pickled for years, one per state form, for `typed-pickle infer`'s tests
(test/infer/). Every class compares by value, so a pickle read back can be checked for equality."""
import dataclasses
import datetime
import decimal
import enum
import uuid
from collections import namedtuple
from typing import Optional

import pydantic


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


@dataclasses.dataclass
class Address:
    street: str
    zip_code: Optional[str]


@dataclasses.dataclass(eq=False)
class Node:
    """A tree with a back-reference to its parent: a cycle."""

    name: str
    parent: "Optional[Node]"
    children: list


class SlotPoint:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


Pair = namedtuple("Pair", ["key", "value"])


class Temperature:
    def __init__(self, celsius, label):
        self.celsius = celsius
        self.label = label

    def __getstate__(self):
        return (self.celsius, self.label)

    def __setstate__(self, state):
        self.celsius, self.label = state


class Money:
    def __init__(self, amount, currency):
        self.amount = amount
        self.currency = currency

    def __reduce__(self):
        return (Money, (self.amount, self.currency))


class Account(pydantic.BaseModel):
    name: str
    balance: float = 0.0


@dataclasses.dataclass
class Record:
    """Every field kind infer unifies; `note` is set on some instances only (absent on others)."""

    user_id: int
    big: int
    ratio: float
    mixed: float
    title: Optional[str]
    raw: bytes
    buffer: bytearray
    tags: list
    scores: dict
    ids: set
    frozen: frozenset
    pair: tuple
    when: datetime.datetime
    day: datetime.date
    clock: datetime.time
    span: datetime.timedelta
    price: decimal.Decimal
    uid: uuid.UUID
    color: Color
    level: Level
    address: Address
    point: SlotPoint
    kv: Pair
    temperature: Temperature
    money: Money
    account: Account
    tree: Node


def record(i):
    root = Node("root", None, [])
    child = Node("child", root, [])
    root.children.append(child)
    r = Record(
        user_id=i,
        big=2**60 + i if i % 2 else i,
        ratio=0.5 + i,
        mixed=i if i % 2 else i + 0.25,
        title=None if i % 3 == 0 else f"title {i}",
        raw=bytes([i, 1, 2]),
        buffer=bytearray(b"buf"),
        tags=["a", "b"][: i % 3],
        scores={"x": i, "y": i * 2},
        ids={i, i + 1},
        frozen=frozenset({f"f{i}"}),
        pair=("p", i),
        when=datetime.datetime(2024, 1, 2, 3, 4, 5, i, tzinfo=datetime.timezone.utc if i % 2 else None),
        day=datetime.date(2024, 1, 1 + i),
        clock=datetime.time(12, i),
        span=datetime.timedelta(days=i, microseconds=7),
        price=decimal.Decimal(f"{i}.50"),
        uid=uuid.UUID(int=i),
        color=Color.RED if i % 2 else Color.GREEN,
        level=Level.LOW,
        address=Address("Main St", None if i % 2 else "12345"),
        point=SlotPoint(i, -i),
        kv=Pair("k", i),
        temperature=Temperature(20.5, "warm"),
        money=Money(decimal.Decimal("9.99"), "EUR"),
        account=Account(name=f"acct{i}"),
        tree=root,
    )
    if i % 2 == 0:
        r.note = f"note {i}"
    return r
