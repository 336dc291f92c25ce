"""typed-pickle import-python: imports the named modules (which runs their code) and describes each
class — its fields, their annotated types, defaults and state form — as one JSON document on stdout.
argv: MODULE[:Class,...]...  The TypeScript side treats every name in the output as data."""
import copyreg
import dataclasses
import datetime
import decimal
import enum
import importlib
import json
import sys
import types
import typing
import uuid

try:
    import attrs
except ImportError:
    attrs = None
try:
    import pydantic
except ImportError:
    pydantic = None

LEAVES = {
    int: "int", float: "float", str: "str", bytes: "bytes", bytearray: "bytearray", bool: "bool",
    datetime.datetime: "datetime", datetime.date: "date", datetime.time: "time",
    datetime.timedelta: "timedelta", decimal.Decimal: "Decimal", uuid.UUID: "UUID",
}

pending = []  # classes reached but not yet described
seen = set()


def key(cls):
    return (cls.__module__, cls.__qualname__)


def reach(cls):
    if key(cls) not in seen:
        seen.add(key(cls))
        pending.append(cls)
    return {"k": "ref", "module": cls.__module__, "qualname": cls.__qualname__}


def any_of(what):
    return {"k": "any", "what": what}


def describe_type(t):
    if t is type(None):
        return any_of("None")
    if t in LEAVES:
        return {"k": LEAVES[t]}
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            inner = describe_type(rest[0])
            return {"k": "nullable", "inner": inner} if len(rest) < len(args) else inner
        return any_of(f"a union {t!r}")
    if origin in (list, set, frozenset) and len(args) == 1:
        return {"k": origin.__name__, "item": describe_type(args[0])}
    if origin is dict and len(args) == 2:
        return {"k": "map", "key": describe_type(args[0]), "value": describe_type(args[1])}
    if origin is tuple and args and args[-1] is not Ellipsis and args != ((),):
        return {"k": "tuple", "items": [describe_type(a) for a in args]}
    if isinstance(t, type) and kind_of(t) is not None:
        return reach(t)
    return any_of(repr(t))


def kind_of(cls):
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return "enum"
    if pydantic is not None and isinstance(cls, type) and issubclass(cls, pydantic.BaseModel) and cls is not pydantic.BaseModel:
        return "pydantic"
    if attrs is not None and attrs.has(cls):
        return "attrs"
    if dataclasses.is_dataclass(cls):
        return "dataclass"
    if isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields"):
        return "namedtuple"
    if isinstance(cls, type) and cls.__module__ not in ("builtins",) and cls.__init__ is not object.__init__:
        return "plain"
    return None


MISSING = object()


def default_of(value):
    """A default TypeScript can write as a literal, else a note saying what it was."""
    if value is MISSING:
        return None, None
    if isinstance(value, enum.Enum):  # a StrEnum member is a str, but the schema's enum is not
        return None, f"default {value!r} has no literal form here"
    if value is None or isinstance(value, (bool, str)) or (type(value) in (int, float) and abs(value) < 2**53):
        if not (isinstance(value, float) and value != value):
            return {"value": value}, None
    if isinstance(value, list) and not value:
        return {"emptyList": True}, None
    return None, f"default {value!r} has no literal form here"


def hints(cls):
    try:
        return typing.get_type_hints(cls)
    except Exception as e:  # an unresolvable forward reference: annotations left as they are
        warnings.append(f"{cls.__module__}.{cls.__qualname__}: type hints unresolved ({e})")
        return getattr(cls, "__annotations__", {})


def annotation_text(t):
    """`float`, `list[int]`, `typing.Optional[myapp.models.Address]`: how Python shows the annotation."""
    if t is MISSING:
        return "no annotation"
    if isinstance(t, type) and not typing.get_args(t):
        return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"
    return repr(t)


def field(name, annotation, default=MISSING, factory=MISSING):
    literal, note = default_of(default)
    if factory is not MISSING:
        literal, note = ({"emptyList": True}, None) if factory is list else (None, f"default from {getattr(factory, '__qualname__', factory)!r}")
    out = {"name": name, "type": describe_type(annotation) if annotation is not MISSING else any_of("no annotation")}
    # For check --python: whether Python needs a value for it, and the annotation as written.
    out["required"] = default is MISSING and factory is MISSING
    out["annotation"] = annotation_text(annotation)
    if literal is not None:
        out["default"] = literal
    if note is not None:
        out["note"] = note
    return out


def describe_class(cls):
    kind = kind_of(cls)
    base = {"module": cls.__module__, "qualname": cls.__qualname__, "kind": kind, "comments": []}
    if kind == "enum":
        members = [{"name": m.name, "value": m.value} for m in cls]
        bad = [m for m in members if not isinstance(m["value"], (str, int)) or isinstance(m["value"], bool)]
        if bad:
            base["comments"].append("TODO: members whose values are not int or str: " + ", ".join(m["name"] for m in bad))
        base["members"] = [m if m not in bad else {"name": m["name"], "value": repr(m["value"])} for m in members]
        return base
    h = hints(cls)
    if kind == "dataclass":
        fs = []
        for f in dataclasses.fields(cls):
            default = MISSING if f.default is dataclasses.MISSING else f.default
            factory = MISSING if f.default_factory is dataclasses.MISSING else f.default_factory
            fs.append(field(f.name, h.get(f.name, MISSING), default, factory))
        base["state"] = "slots" if "__slots__" in cls.__dict__ else "dict"
    elif kind == "attrs":
        fs = []
        for a in attrs.fields(cls):
            d = a.default
            if isinstance(d, attrs.Factory):
                fs.append(field(a.name, h.get(a.name, a.type or MISSING), factory=d.factory))
            else:
                fs.append(field(a.name, h.get(a.name, a.type or MISSING), MISSING if d is attrs.NOTHING else d))
        base["state"] = "dict"  # attrs's own __getstate__ on a slotted class gives a dict of the fields
    elif kind == "namedtuple":
        defaults = getattr(cls, "_field_defaults", {})
        fs = [field(n, h.get(n, MISSING), defaults.get(n, MISSING)) for n in cls._fields]
        base["state"] = "args"
    elif kind == "pydantic":
        fs = []
        for n, info in cls.model_fields.items():
            d = MISSING if info.is_required() else info.default
            fs.append(field(n, h.get(n, info.annotation), MISSING if d is pydantic_undefined() else d, info.default_factory or MISSING))
        base["state"] = "pydantic"
    else:
        slots = [s for c in cls.__mro__ for s in c.__dict__.get("__slots__", ()) if s not in ("__dict__", "__weakref__")]
        names = slots or [n for n in h if not n.startswith("__")]
        fs = [field(n, h.get(n, MISSING), cls.__dict__.get(n, MISSING) if not slots else MISSING) for n in names]
        base["state"] = "slots" if slots else "dict"
    custom = [m for m in ("__getstate__", "__setstate__", "__reduce__", "__reduce_ex__") if any(m in c.__dict__ for c in cls.__mro__[:-1] if c not in (tuple,))]
    if custom and kind not in ("pydantic", "namedtuple", "attrs"):
        base["getstate"] = custom
        # What such a class pickles cannot be read from it; where cls() works, its state form can be seen.
        instance, _ = default_instance(cls, kind, fs)
        seen_state = observed_state(instance) if instance is not None else None
        if seen_state is not None:
            base["state"] = seen_state
    base["fields"] = fs
    return base


def default_instance(cls, kind, fields):
    """cls(), where the class can be built from its defaults; else None and why. Classes whose fields
    Python cannot name (no annotations, slots or fields) are left alone: cls() says nothing of their pickles."""
    if kind == "enum" or (kind == "plain" and not fields):
        return None, None
    try:
        return cls(), None
    except Exception as e:
        return None, f"cls() failed: {type(e).__name__}: {e}"


def observed_state(obj):
    """The state form obj pickles with, read from its reduction as pickle takes it (None: not one of ours)."""
    try:
        rv = obj.__reduce_ex__(2)
    except Exception:
        return None
    if not isinstance(rv, tuple) or len(rv) < 2:
        return None
    func, args = rv[0], rv[1]
    state = rv[2] if len(rv) > 2 else None
    if func is not copyreg.__newobj__:
        return "reduce"
    if state is None:
        return "args" if len(args) > 1 or isinstance(obj, tuple) else "dict"
    if isinstance(state, dict):
        return "pydantic" if "__dict__" in state and "__pydantic_fields_set__" in state else "dict"
    if isinstance(state, tuple) and len(state) == 2 and (state[0] is None or isinstance(state[0], dict)) and isinstance(state[1], dict):
        return "slots"
    return "tuple"


def pydantic_undefined():
    from pydantic_core import PydanticUndefined
    return PydanticUndefined


warnings = []


def main(specs):
    # The modules' own prints go to stderr: stdout carries the JSON alone.
    out_stream, sys.stdout = sys.stdout, sys.stderr
    for spec in specs:
        module_name, _, names = spec.partition(":")
        module = importlib.import_module(module_name)
        if names:
            for n in names.split(","):
                obj = module
                for part in n.split("."):
                    obj = getattr(obj, part)
                if kind_of(obj) is None:
                    raise SystemExit(f"{module_name}:{n} is not a class this command can describe")
                reach(obj)
        else:
            for obj in vars(module).values():
                if isinstance(obj, type) and obj.__module__ == module.__name__ and kind_of(obj) is not None:
                    reach(obj)
    out = []
    while pending:
        out.append(describe_class(pending.pop(0)))
    json.dump({"classes": out, "warnings": warnings}, out_stream, default=repr)


if __name__ == "__main__":
    main(sys.argv[1:])
