"""Fixture classes for `typed-pickle import-python` (test/import-python/): every kind of class it
introspects, with nested and cyclic classes reached through forward references."""
from __future__ import annotations

import collections
import dataclasses
import datetime
import decimal
import enum
import uuid
from typing import NamedTuple, Optional

from pydantic import BaseModel


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 2


class Mode(enum.StrEnum):
    FAST = "fast"
    SAFE = "safe"


class Point(NamedTuple):
    x: int
    y: float = 0.0


Pair = collections.namedtuple("Pair", ["left", "right"])


class Slotted:
    __slots__ = ("a", "b")
    a: int
    b: str

    def __init__(self, a: int, b: str) -> None:
        self.a = a
        self.b = b


class Connection:
    """A __getstate__/__setstate__ pair: what it pickles cannot be read from the class."""

    host: str

    def __init__(self, host: str) -> None:
        self.host = host

    def __getstate__(self):
        return {"host": self.host}

    def __setstate__(self, state):
        self.host = state["host"]


class Opaque:
    """No annotations and no __slots__: its attributes cannot be known from the class."""

    def __init__(self) -> None:
        self.x = 1


@dataclasses.dataclass
class Node:
    name: str
    parent: Optional[Node] = None
    children: list[Node] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Everything:
    count: int
    ratio: float
    label: str
    raw: bytes
    buffer: bytearray
    flag: bool
    tags: list[str]
    pair: tuple[str, int]
    ids: set[int]
    frozen: frozenset[str]
    scores: dict[str, int]
    when: datetime.datetime
    day: datetime.date
    clock: datetime.time
    span: datetime.timedelta
    price: decimal.Decimal
    uid: uuid.UUID
    color: Color
    level: Level
    mode: Mode
    point: Point
    slotted: Slotted
    tree: Node
    note: str | None = None
    retries: int = 3
    scale: float = 1.5
    title: str = "untitled"
    enabled: bool = True
    history: list[int] = dataclasses.field(default_factory=list)
    since: datetime.date = datetime.date(2020, 1, 1)
    blob: object = None


class Account(BaseModel):
    id: int
    owner: str
    balance: decimal.Decimal
    nickname: Optional[str] = None


def samples():
    """One instance per root class, the same values each time (the tests pickle them at protocols 0-5)."""
    node = Node("root")
    node.children.append(Node("leaf", node))
    return {
        "Everything": Everything(
            count=7, ratio=0.25, label="héllo", raw=b"\x00\xff", buffer=bytearray(b"ab"), flag=True,
            tags=["a", "b"], pair=("p", 2), ids={1, 2}, frozen=frozenset({"z"}), scores={"x": 1},
            when=datetime.datetime(2024, 5, 6, 7, 8, 9, 10), day=datetime.date(2024, 1, 2),
            clock=datetime.time(3, 4, 5), span=datetime.timedelta(days=1, seconds=2),
            price=decimal.Decimal("1.50"), uid=uuid.UUID(int=42), color=Color.GREEN, level=Level.HIGH,
            mode=Mode.SAFE, point=Point(1, 2.5), slotted=Slotted(4, "s"), tree=node, note="n",
            history=[1, 2], blob=None,
        ),
        "Node": node,
        "Point": Point(3, 4.0),
        "Pair": Pair("l", "r"),
        "Account": Account(id=1, owner="ann", balance=decimal.Decimal("9.99")),
        "Level": Level.LOW,
        **({"Shipment": Shipment("c-1", labels=["fragile"])} if attrs is not None else {}),
    }


try:
    import attrs
except ImportError:  # the attrs case is tested only where attrs is installed
    attrs = None

if attrs is not None:

    @attrs.define
    class Shipment:
        code: str
        weight: float = 0.5
        labels: list[str] = attrs.Factory(list)
