"""schemas/catalog.ts stands for these: every state form (dict, __slots__, a tuple __getstate__,
namedtuple, __reduce__) and Enum."""
import enum
from collections import namedtuple


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Priority(enum.Enum):
    LOW = 1
    HIGH = 2


class SlotPoint:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __eq__(self, other):
        return type(other) is SlotPoint and (self.x, self.y) == (other.x, other.y)


Pair = namedtuple("Pair", ["key", "value"])
Pair.__module__ = __name__


class Temperature:
    def __init__(self, celsius, label):
        self.celsius = celsius
        self.label = label

    def __getstate__(self):
        return (self.celsius, self.label)

    def __setstate__(self, state):
        self.celsius, self.label = state

    def __eq__(self, other):
        return type(other) is Temperature and (self.celsius, self.label) == (other.celsius, other.label)


class Money:
    def __init__(self, amount, currency):
        self.amount = amount
        self.currency = currency

    def __reduce__(self):
        return (Money, (self.amount, self.currency))

    def __eq__(self, other):
        return type(other) is Money and (self.amount, self.currency) == (other.amount, other.currency)


class Series:
    """A named list of floats: a Float64Array field in schemas/catalog.ts."""

    def __init__(self, name, values):
        self.name = name
        self.values = values

    def __eq__(self, other):
        return type(other) is Series and (self.name, self.values) == (other.name, other.values)


class Category:
    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.children = []
        if parent is not None:
            parent.children.append(self)

    def __eq__(self, other):
        # Compared by shape: the parent only by name, so that the cycle ends.
        return (
            type(other) is Category
            and self.name == other.name
            and (self.parent.name if self.parent else None) == (other.parent.name if other.parent else None)
            and self.children == other.children
        )


class Everything:
    def __init__(self, **fields):
        for k, v in fields.items():
            setattr(self, k, v)

    def __eq__(self, other):
        return type(other) is Everything and vars(self) == vars(other)

    def __repr__(self):
        return f"Everything({vars(self)!r})"
