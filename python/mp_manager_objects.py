"""The objects python/mp_manager.py serves, in their own module so that their pickles name
`mp_manager_objects.X` (not `__main__.X`) on both the server and the Python peer."""
import os


class QuotaError(Exception):
    """An exception class of the service's own: typed-pickle/managers must report it, not build it."""


class Raiser:
    """Each method fails in one of the ways a remote call can fail."""

    def value_error(self):
        raise ValueError("boom: bad value")

    def quota(self):
        raise QuotaError("quota exceeded", 42)

    def key_error(self):
        return {}["missing"]


class Hostile:
    """Pickles as a call of os.system: what a compromised or malicious server could send."""

    def __reduce__(self):
        return (os.system, ("echo typed-pickle-was-tricked",))


class Tricky:
    """A service that returns a hostile object from one method and plain data from another."""

    def payload(self):
        return Hostile()

    def ping(self):
        return "pong"


class Registry:
    """`child(name)` returns a dict that the server shares as a proxy of its own (a #PROXY reply)."""

    def __init__(self):
        self.children = {}

    def child(self, name):
        return self.children.setdefault(name, {})
