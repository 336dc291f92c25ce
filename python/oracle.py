"""CPython's unpickler, run with typed-pickle's rules for globals: the oracle the tests compare with.

The pickle machine (stack, MARK, memo, every opcode) is CPython's own C unpickler. Only
`find_class` changes, exactly as typed-pickle's reader documents it:
- a global on typed-pickle's standard allowlist resolves to the real Python object;
- strict mode: any other global is refused;
- opaque mode: any other global becomes a stand-in class that records what is done with it
  (called, constructed with NEWOBJ, given state by BUILD, items by APPENDS/SETITEMS) and calls
  nothing. python/tagged.py prints a stand-in as {"object": …} / {"global": …}.
"""
import io
import pickle

# Keep in step with runtime/reader/standard-globals.ts (a test checks that they agree).
STANDARD_GLOBALS = [
    "builtins.set", "builtins.frozenset", "builtins.bytes", "builtins.bytearray", "builtins.complex",
    "builtins.getattr", "builtins.object", "builtins.tuple", "builtins.list", "builtins.dict",
    "builtins.int", "builtins.float", "builtins.str", "_codecs.encode", "copyreg._reconstructor",
    "copyreg.__newobj__", "copyreg.__newobj_ex__", "datetime.datetime", "datetime.date",
    "datetime.time", "datetime.timedelta", "datetime.timezone", "decimal.Decimal", "uuid.UUID",
    "collections.OrderedDict", "zoneinfo.ZoneInfo",
]
ALLOWED_ATTRIBUTES = {("zoneinfo.ZoneInfo", "_unpickle")}
# Allowed as names only (the bases copyreg._reconstructor names), never called.
NAME_ONLY = {"builtins.object", "builtins.tuple", "builtins.list", "builtins.dict", "builtins.int", "builtins.float", "builtins.str"}


class Opaque:
    """An instance of a class typed-pickle does not know, recorded as data."""

    _callable = None
    _args = ()
    _kwargs = None
    _state = None
    _has_state = False
    _listitems = None
    _dictitems = None

    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls)
        self._callable = cls
        self._args = args
        self._kwargs = kwargs if kwargs else None
        return self

    def __init__(self, *args, **kwargs):
        pass

    def __setstate__(self, state):
        if self._has_state and isinstance(self._state, dict) and isinstance(state, dict):
            self._state.update(state)
        else:
            self._state = state
            self._has_state = True

    def append(self, item):
        if self._listitems is None:
            self._listitems = []
        self._listitems.append(item)

    def extend(self, items):
        for item in items:
            self.append(item)

    def __setitem__(self, key, value):
        if self._dictitems is None:
            self._dictitems = []
        self._dictitems.append((key, value))

    def __call__(self, *args):
        return _record_call(self, args)

    def __hash__(self):
        return id(self)

    def __eq__(self, other):
        return self is other


class Reduced(Opaque):
    """The result of calling something that is not a stand-in class (REDUCE on a value)."""


_stand_ins = {}


def stand_in(module, qualname):
    key = (module, qualname)
    if key not in _stand_ins:
        cls = type(qualname.rsplit(".", 1)[-1], (Opaque,), {"__module__": module, "__qualname__": qualname})
        cls._opaque_global = f"{module}.{qualname}"
        _stand_ins[key] = cls
    return _stand_ins[key]


def is_stand_in(obj):
    return isinstance(obj, type) and "_opaque_global" in vars(obj)


def _record_call(func, args):
    obj = object.__new__(Reduced)
    obj._callable = func
    obj._args = tuple(args)
    return obj


def _construct(cls, args, kwargs=None):
    if is_stand_in(cls):
        return cls.__new__(cls, *args, **(kwargs or {}))
    return cls.__new__(cls, *args, **(kwargs or {}))


def _global_name(obj):
    return getattr(obj, "_opaque_global", None) or f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"


def _reconstructor(cls, base, state):
    base_name = _global_name(base)
    if base_name == "builtins.object":
        return _construct(cls, ())
    if base_name == "builtins.tuple" and type(state) is tuple:
        return _construct(cls, state)  # recorded as cls(*state), as typed-pickle's reader does
    return _construct(cls, (state,))


class _NameOnlyMeta(type):
    def __call__(cls, *args, **kwargs):
        raise pickle.UnpicklingError(f"'{cls._opaque_global}' is not callable here")


def _name_only(module, name):
    """Strict mode: a global that may be named (as a base) but not called or constructed."""
    cls = _NameOnlyMeta(name, (), {"__module__": module, "__qualname__": name})
    cls._opaque_global = f"{module}.{name}"

    def refuse(klass, *args, **kwargs):
        raise pickle.UnpicklingError(f"'{klass._opaque_global}' cannot be constructed here")

    cls.__new__ = refuse
    return cls


def _newobj(cls, *args):
    return _construct(cls, args)


def _newobj_ex(cls, args, kwargs):
    return _construct(cls, args, kwargs)


def _opaque_getattr(target, name):
    full = _global_name(target)
    if (full, name) in ALLOWED_ATTRIBUTES:
        return getattr(target, name)
    if is_stand_in(target) or full in STANDARD_GLOBALS:
        # getattr on a class: kept as a reference to `Class.attr` (a nested class or an enum member)
        return stand_in(target.__module__, f"{target.__qualname__}.{name}")
    return _record_call(getattr_stand_in, (target, name))


getattr_stand_in = stand_in("builtins", "getattr")
REPLACEMENTS = {
    "copyreg._reconstructor": _reconstructor,
    "copyreg.__newobj__": _newobj,
    "copyreg.__newobj_ex__": _newobj_ex,
}


def _named(func, module, qualname):
    func.__module__, func.__qualname__ = module, qualname
    return func


_named(_reconstructor, "copyreg", "_reconstructor")
_named(_newobj, "copyreg", "__newobj__")
_named(_newobj_ex, "copyreg", "__newobj_ex__")
_named(_opaque_getattr, "builtins", "getattr")


class OracleUnpickler(pickle.Unpickler):
    def __init__(self, file, opaque=True, proto=0, **kwargs):
        super().__init__(file, **kwargs)
        self.opaque = opaque
        self.proto = proto
        self.fix_imports = kwargs.get("fix_imports", True)
        self.resolved = []  # every global find_class was asked for, in order

    def find_class(self, module, name):
        # The C unpickler hands an overriding find_class the raw names; map them here as its own
        # find_class would (protocols 0-2, fix_imports).
        if self.proto < 3 and self.fix_imports:
            import _compat_pickle
            if (module, name) in _compat_pickle.NAME_MAPPING:
                module, name = _compat_pickle.NAME_MAPPING[(module, name)]
            elif module in _compat_pickle.IMPORT_MAPPING:
                module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        self.resolved.append(full)
        if full in REPLACEMENTS:
            return REPLACEMENTS[full]
        if full == "builtins.getattr":
            return _opaque_getattr if self.opaque else _strict_getattr
        if full in NAME_ONLY:
            return stand_in(module, name) if self.opaque else _name_only(module, name)
        if full in STANDARD_GLOBALS:
            return super().find_class(module, name)
        if self.opaque:
            return stand_in(module, name)
        raise pickle.UnpicklingError(f"global '{full}' is not allowed")


def _strict_getattr(target, name):
    full = f"{getattr(target, '__module__', '')}.{getattr(target, '__qualname__', '')}"
    if (full, name) in ALLOWED_ATTRIBUTES:
        return getattr(target, name)
    raise pickle.UnpicklingError(f"getattr({full}, '{name}') is not allowed")


_named(_strict_getattr, "builtins", "getattr")


def oracle_loads(data, opaque=True, resolved=None, **kwargs):
    """Loads `data`; appends to `resolved` (if given) every global name find_class was asked for."""
    # The C unpickler resolves EXT codes from copyreg's cache without asking find_class: empty it.
    import copyreg
    copyreg._extension_cache.clear()
    proto = data[1] if len(data) > 1 and data[0] == 0x80 else 0
    unpickler = OracleUnpickler(io.BytesIO(data), opaque=opaque, proto=proto, **kwargs)
    try:
        return unpickler.load()
    finally:
        if resolved is not None:
            resolved.extend(unpickler.resolved)

