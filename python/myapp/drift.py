"""check --python's Python service, as it is now (test/check-python): one class of each kind check
compares. The schemas in test/check-python/fixtures/ match it (matching/) or seed one drift each."""
from __future__ import annotations

import dataclasses
import enum
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
    SLOW = "slow"


@dataclasses.dataclass
class Address:
    street: str = ""
    zip_code: str = ""


@dataclasses.dataclass
class User:
    """Not constructible from defaults: compared, not round-tripped."""

    name: str
    age: int
    score: float = 0.0
    tags: list[str] = dataclasses.field(default_factory=list)
    address: Optional[Address] = None
    color: Color = Color.RED
    balance: int = 0


class Point(NamedTuple):
    x: int
    y: int
    label: str = ""


@dataclasses.dataclass(slots=True)
class Pixel:
    x: int = 0
    y: int = 0
    level: Level = Level.LOW


class Slotted:
    __slots__ = ("a", "b")
    a: int
    b: str

    def __init__(self, a: int = 0, b: str = "") -> None:
        self.a = a
        self.b = b


class Reading:
    """A __getstate__ returning a tuple: its state form is seen on Reading()."""

    celsius: float
    label: str

    def __init__(self, celsius: float = 0.0, label: str = "") -> None:
        self.celsius = celsius
        self.label = label

    def __getstate__(self):
        return (self.celsius, self.label)

    def __setstate__(self, state):
        self.celsius, self.label = state


class Item(BaseModel):
    name: str = ""
    qty: int = 1
    mode: Mode = Mode.FAST


@dataclasses.dataclass
class Node:
    """A tree with back references: a cyclic class."""

    name: str = "root"
    parent: Optional[Node] = None
    children: list[Node] = dataclasses.field(default_factory=list)
    weights: dict[str, float] = dataclasses.field(default_factory=lambda: {"w": 0.5})


@dataclasses.dataclass
class Loose:
    """A bare `list` annotation says nothing of the items: only the default's pickle can tell."""

    items: list = dataclasses.field(default_factory=lambda: [1, 2])
