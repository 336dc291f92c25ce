"""Tasks that test/integrations/rq-*.test.ts and examples/rq.ts enqueue from Node; an RQ worker
(Debian's python3-rq on /usr/bin/python3, PYTHONPATH=python/) runs them."""
import dataclasses

from myapp.models import Address, User


def add(a, b):
    return a + b


def make_address(street, zip_code):
    """A schema class instance as the result (schemas/user.ts Address)."""
    return Address(street, zip_code)


def birthday(user, hobby="cake"):
    """A schema class instance as the argument: refuses anything but a real User."""
    if type(user) is not User:
        raise TypeError(f"expected a myapp.models.User, got {type(user).__name__}")
    return dataclasses.replace(user, age=user.age + 1, hobbies=[*user.hobbies, hobby])


def describe(user):
    return f"{user.name} ({user.age}) lives at {user.address.street}"


def fail(message):
    raise ValueError(message)


def nothing():
    return None
