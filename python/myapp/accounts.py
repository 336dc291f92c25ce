"""pydantic v2 models: the state form "pydantic" (test/typed/pydantic.test.ts has their schemas)."""
from typing import Optional

from pydantic import BaseModel, ConfigDict, PrivateAttr


class Item(BaseModel):
    name: str
    qty: int = 1
    tags: list[str] = []


class Order(BaseModel):
    id: int
    items: list[Item]
    note: Optional[str] = None


class Loose(BaseModel):
    """extra='allow': attributes beyond the fields go to __pydantic_extra__."""

    model_config = ConfigDict(extra="allow")
    name: str


class Secret(BaseModel):
    """A private attribute: __pydantic_private__."""

    name: str
    _token: str = PrivateAttr(default="none")
