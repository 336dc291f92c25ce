"""schemas/user.ts stands for these: a plain class and a dataclass."""
import datetime
from dataclasses import dataclass, field
from typing import Optional


class Address:
    def __init__(self, street, zip_code):
        self.street = street
        self.zip_code = zip_code

    def __eq__(self, other):
        return type(other) is Address and vars(self) == vars(other)

    def __repr__(self):
        return f"Address({self.street!r}, {self.zip_code!r})"


@dataclass
class User:
    name: str
    age: int
    score: float = 0.0
    hobbies: list = field(default_factory=list)
    is_active: bool = True
    address: Optional[Address] = None
    created: datetime.datetime = None
