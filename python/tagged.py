"""The tagged JSON form of a live Python value — the same form typed-pickle's `show --json` prints
(runtime/format/tagged-json.ts). The tests compare what CPython's pickle.loads gives, tagged here,
with what typed-pickle reads, tagged there.

Identity: a list, dict, set, frozenset, non-empty tuple, bytearray or class instance reached more
than once carries "id": n where it first appears (pre-order, left to right) and is {"ref": n} later.
Set members are ordered by `shape_key`, the same way on both sides, since sets have no stable order.
"""
import collections
import copyreg
import datetime
import decimal
import hashlib
import json
import pickle
import sys
import types
import uuid
import zoneinfo

from oracle import Opaque, is_stand_in

sys.setrecursionlimit(1_000_000)

KEY_LIMIT = 256  # UTF-16 units of a set member's ordering key before it is replaced by a digest
IDENTITY_TYPES = (list, dict, set, frozenset, bytearray, collections.OrderedDict)
SINGLETON_TYPES = {type(None): None, type(...): ..., type(NotImplemented): NotImplemented}


_ENCODER = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"))
_ascii_str = json.encoder.encode_basestring_ascii


def ascii_json(x):
    return _ENCODER.encode(x)


def leaf_key(v):
    """ascii_json(leaf_tag(v)), with fast paths for the common leaves; None for non-leaves."""
    t = type(v)
    if t is str:
        return '{"str":' + _ascii_str(v) + "}"
    if t is int:
        return '{"int":"%d"}' % v
    leaf = leaf_tag(v)
    return None if leaf is None else ascii_json(leaf)


def is_global(obj):
    if is_stand_in(obj):
        return True
    return isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)) and obj not in SINGLETON_TYPES


def global_name(obj):
    if is_stand_in(obj):
        return obj._opaque_global
    return f"{obj.__module__}.{obj.__qualname__}"


def float_repr(f):
    return repr(float(f))


def td(t):
    return [t.days, t.seconds, t.microseconds]


def _timezone_tag(v):
    tag = {"timezone": td(v.utcoffset(None))}
    # A timezone made without a name reports a generated one; the pickled form tells them apart.
    args = v.__getinitargs__()
    if len(args) > 1:
        tag["name"] = args[1]
    return tag


def _picklebuffer_tag(v):
    m = v.raw()
    return {"picklebuffer": bytes(m).hex(), "readonly": m.readonly}


_LEAVES = {
    type(None): lambda v: {"none": None},
    bool: lambda v: {"bool": v},
    int: lambda v: {"int": str(v)},
    float: lambda v: {"float": repr(v)},
    str: lambda v: {"str": v},
    bytes: lambda v: {"bytes": v.hex()},
    complex: lambda v: {"complex": [repr(v.real), repr(v.imag)]},
    decimal.Decimal: lambda v: {"decimal": str(v)},
    uuid.UUID: lambda v: {"uuid": str(v)},
    datetime.date: lambda v: {"date": v.isoformat()},
    datetime.timedelta: lambda v: {"timedelta": td(v)},
    zoneinfo.ZoneInfo: lambda v: {"zoneinfo": v.key},
    datetime.timezone: _timezone_tag,
    pickle.PickleBuffer: _picklebuffer_tag,
}
_NOT_LEAVES = (list, tuple, dict, set, frozenset, bytearray, collections.OrderedDict, datetime.datetime, datetime.time)


def leaf_tag(v):
    make = _LEAVES.get(type(v))
    if make is not None:
        return make(v)
    if type(v) not in _NOT_LEAVES and is_global(v):
        return {"global": global_name(v)}
    return None


class Tagger:
    def __init__(self, ordered=False):
        # ordered: list set members in Python's own iteration order instead of the canonical one
        self.ordered = ordered
        self.reductions = {}  # id -> (obj, reduce tuple): computed once, objects kept alive
        self.counts = {}
        self.ids = {}
        self.sorted_cache = {}

    def has_identity(self, v):
        t = type(v)
        if t is tuple:
            return len(v) > 0
        if t in IDENTITY_TYPES:
            return True
        if t in _LEAVES or t is datetime.datetime or t is datetime.time:
            return False
        return leaf_tag(v) is None

    def reduction(self, v):
        key = id(v)
        if key not in self.reductions:
            if type(v) in SINGLETON_TYPES:
                rv = (type, (SINGLETON_TYPES[type(v)],))
            else:
                rv = v.__reduce_ex__(4)
            if isinstance(rv, str):
                rv = (rv,)
            else:  # list and dict items come as iterators: keep them for the second look
                rv = tuple(list(x) if i >= 3 and x is not None else x for i, x in enumerate(rv))
            self.reductions[key] = (v, rv)
        return self.reductions[key][1]

    def object_parts(self, v):
        if isinstance(v, Opaque):
            state = v._state if v._has_state else None
            return v._callable, v._args, v._kwargs, state, v._listitems, v._dictitems
        rv = self.reduction(v)
        if len(rv) == 1:
            return None
        func, args = rv[0], tuple(rv[1])
        state = rv[2] if len(rv) > 2 else None
        listitems = rv[3] if len(rv) > 3 else None
        dictitems = rv[4] if len(rv) > 4 else None
        kwargs = None
        if func is copyreg.__newobj__:
            func, args = args[0], args[1:]
        elif func is copyreg.__newobj_ex__:
            func, args, kwargs = args[0], tuple(args[1]), args[2]
        return func, args, kwargs, state, listitems, dictitems

    def children(self, v):
        t = type(v)
        if t in _LEAVES:
            return ()
        if t in (list, tuple):
            return list(v)
        if t in (set, frozenset):
            return self.sorted_members(v)
        if t in (dict, collections.OrderedDict):
            return [x for kv in v.items() for x in kv]
        if t in (datetime.datetime, datetime.time):
            return [] if v.tzinfo is None else [v.tzinfo]
        if leaf_tag(v) is not None or t is bytearray:
            return []
        parts = self.object_parts(v)
        if parts is None:
            return []
        func, args, kwargs, state, listitems, dictitems = parts
        out = [func, *args]
        if kwargs:
            out += [x for kv in kwargs.items() for x in kv]
        if state is not None or (isinstance(v, Opaque) and v._has_state):
            out.append(state)
        out += listitems or []
        out += [x for kv in dictitems or [] for x in kv]
        return out

    def count(self, root):
        stack = [root]
        while stack:
            v = stack.pop()
            if self.has_identity(v):
                seen = self.counts.get(id(v), 0)
                self.counts[id(v)] = seen + 1
                if seen:
                    continue
            stack.extend(reversed(self.children(v)))

    def shape_key(self, v, memo):
        if id(v) in memo:
            return memo[id(v)][1]
        t = type(v)
        if t is tuple:
            key = "t[" + ",".join(self.shape_key(i, memo) for i in v) + "]"
        elif t is frozenset:
            key = "F[" + ",".join(sorted(self.shape_key(i, memo) for i in v)) + "]"
        elif t in (datetime.datetime, datetime.time):
            key = "dt:" + v.replace(tzinfo=None, fold=0).isoformat()
        else:
            key = leaf_key(v)
            if key is None:
                parts = self.object_parts(v)
                func = parts[0] if parts else None
                key = "o:" + (global_name(func) if is_global(func) else "?")
        if len(key.encode("utf-16-le", "surrogatepass")) > 2 * KEY_LIMIT:
            # As runtime/format/tagged-json.ts: a long key becomes a digest, so that keys of tuples
            # shared as a DAG stay short instead of doubling at every level.
            key = "#" + hashlib.sha256(key.encode("utf-16-le", "surrogatepass")).hexdigest()
        memo[id(v)] = (v, key)
        return key

    def sorted_members(self, s):
        if self.ordered:
            return list(s)
        cached = self.sorted_cache.get(id(s))
        if cached is None:
            cached = self.sorted_cache[id(s)] = (s, self._sort(s))
        return cached[1]

    def _sort(self, s):
        memo = {}
        return [v for _, _, v in sorted(((self.shape_key(v, memo), i, v) for i, v in enumerate(s)), key=lambda x: x[0])]

    def tag(self, v):
        leaf = leaf_tag(v)
        if leaf is not None:
            return leaf
        if self.has_identity(v) and id(v) in self.ids:
            return {"ref": self.ids[id(v)]}
        node = None
        if self.has_identity(v) and self.counts.get(id(v), 0) > 1:
            self.ids[id(v)] = len(self.ids) + 1
        t = type(v)
        if t is list:
            node = {"list": [self.tag(i) for i in v]}
        elif t is tuple:
            node = {"tuple": [self.tag(i) for i in v]}
        elif t is set:
            node = {"set": [self.tag(i) for i in self.sorted_members(v)]}
        elif t is frozenset:
            node = {"frozenset": [self.tag(i) for i in self.sorted_members(v)]}
        elif t is dict:
            node = {"dict": [[self.tag(k), self.tag(x)] for k, x in v.items()]}
        elif t is collections.OrderedDict:
            node = {"ordereddict": [[self.tag(k), self.tag(x)] for k, x in v.items()]}
        elif t is bytearray:
            node = {"bytearray": bytes(v).hex()}
        elif t is datetime.datetime or t is datetime.time:
            naive = v.replace(tzinfo=None, fold=0).isoformat()
            node = {"datetime" if t is datetime.datetime else "time": naive}
            if v.fold:
                node["fold"] = 1
            if v.tzinfo is not None:
                node["tzinfo"] = self.tag(v.tzinfo)
        else:
            parts = self.object_parts(v)
            if parts is None:
                return {"global": f"{type(v).__module__}.{self.reduction(v)[0]}"}
            func, args, kwargs, state, listitems, dictitems = parts
            body = {"class": global_name(func) if is_global(func) else self.tag(func)}
            body["args"] = [self.tag(a) for a in args]
            if kwargs:
                body["kwargs"] = [[self.tag(k), self.tag(x)] for k, x in kwargs.items()]
            if state is not None or (isinstance(v, Opaque) and v._has_state):
                body["state"] = self.tag(state)
            if listitems is not None:
                body["listitems"] = [self.tag(i) for i in listitems]
            if dictitems is not None:
                body["dictitems"] = [[self.tag(k), self.tag(x)] for k, x in dictitems]
            node = {"object": body}
        if id(v) in self.ids:
            node["id"] = self.ids[id(v)]
        return node


def to_tagged(value, ordered=False):
    tagger = Tagger(ordered)
    tagger.count(value)
    return tagger.tag(value)


def _zone(tag, text=lambda s: s):
    if "zoneinfo" in tag:
        return zoneinfo.ZoneInfo(text(tag["zoneinfo"]))
    d, s, us = tag["timezone"]
    offset = datetime.timedelta(days=d, seconds=s, microseconds=us)
    return datetime.timezone(offset, text(tag["name"])) if "name" in tag else datetime.timezone(offset)


def from_tagged(spec, intern=False):
    """Builds the Python value a tagged spec describes. "id"/"ref" labels share one object; a ref may
    point back to an enclosing list, dict or tuple (cycles), so lists and dicts are made empty first
    and filled last. intern=True interns every str, so that equal strings are one object — the
    identity typed-pickle's writer assumes (it memoizes strings by value)."""
    # Every str interned; "" and one-character Latin-1 strings are left as the singletons CPython
    # hands out (sys.intern may return an older object for some, e.g. 'l', which CPython's own
    # internals never use).
    text = (lambda s: s if len(s) == 0 or (len(s) == 1 and ord(s) < 256) else sys.intern(s)) if intern else (lambda s: s)
    nodes = {}  # label -> spec node
    made = {}  # id(spec node) -> object
    fills = []  # (container spec, object) to fill at the end

    def index(node):
        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, dict):
                if "id" in n:
                    nodes[n["id"]] = n
                stack.extend(n.values())
            elif isinstance(n, list):
                stack.extend(n)

    def build(n):
        if "ref" in n:
            n = nodes[n["ref"]]
        if id(n) in made:
            return made[id(n)]
        kind = next(k for k in n if k not in ("id", "tzinfo", "fold", "name", "readonly"))
        body = n[kind]
        if kind == "list":
            obj = []
            fills.append((n, obj))
        elif kind in ("dict", "ordereddict"):
            obj = {} if kind == "dict" else collections.OrderedDict()
            fills.append((n, obj))
        elif kind == "tuple":
            made[id(n)] = None  # placeholder: a tuple never contains itself directly
            obj = tuple(build(c) for c in body)
        elif kind == "set":
            obj = set(build(c) for c in body)
        elif kind == "frozenset":
            obj = frozenset(build(c) for c in body)
        elif kind == "none":
            obj = None
        elif kind == "bool":
            obj = body
        elif kind == "int":
            obj = int(body)
        elif kind == "float":
            obj = float(body)
        elif kind == "str":
            obj = text(body)
        elif kind == "bytes":
            obj = bytes.fromhex(body)
        elif kind == "bytearray":
            obj = bytearray.fromhex(body)
        elif kind == "complex":
            obj = complex(float(body[0]), float(body[1]))
        elif kind == "decimal":
            obj = decimal.Decimal(body)
        elif kind == "uuid":
            obj = uuid.UUID(body)
        elif kind == "date":
            obj = datetime.date.fromisoformat(body)
        elif kind == "timedelta":
            obj = datetime.timedelta(days=body[0], seconds=body[1], microseconds=body[2])
        elif kind in ("timezone", "zoneinfo"):
            obj = _zone(n, text)
        elif kind in ("datetime", "time"):
            cls = datetime.datetime if kind == "datetime" else datetime.time
            obj = cls.fromisoformat(body).replace(fold=n.get("fold", 0))
            if "tzinfo" in n:
                obj = obj.replace(tzinfo=build(n["tzinfo"]))
        else:
            raise ValueError(f"unknown tag {kind}")
        made[id(n)] = obj
        return obj

    index(spec)
    root = build(spec)
    while fills:
        n, obj = fills.pop(0)
        if isinstance(obj, list):
            obj.extend(build(c) for c in n["list"])
        else:
            for k, v in n.get("dict", n.get("ordereddict")):
                obj[build(k)] = build(v)
    return root
