# A plain dataclass cached by the tests: a schema class on the Node side reads and writes it.
from dataclasses import dataclass


@dataclass
class Point:
    x: int
    y: int
