# The values both sides cache, by name. The Node test holds the same values in its own terms.
from datetime import datetime, timezone

from django_app.shapes import Point

CASES = {
    "str": "héllo ✓ wörld",
    "dict": {"a": 1, "b": [1, 2.5, None, True], "c": {"nested": "x"}},
    "list": [1, "two", 3.0],
    "int": 42,
    "negative": -7,
    "bigint": 2**70,
    "true": True,
    "float": 2.5,
    "none": None,
    "bytes": b"\x00\xffbin",
    "tuple": (1, "a"),
    "datetime": datetime(2024, 5, 6, 7, 8, 9, 123456),
    "aware": datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc),
    "point": Point(3, 4),
    "large": ["item %d" % i for i in range(20000)],
}
