"""Prints CPython's own pickle test corpus (test.pickletester) as JSON lines, one case a line:

  {"source": ..., "hex": ..., "ok": true,  "options": {...}, "tagged": <value as python/tagged.py>,
   "strict": <the same in strict mode, or null when strict mode refuses a global>,
   "dis": <pickletools.dis output, or null when dis refuses>,
   "globals": <every global CPython's find_class was asked for>,
   "written_at": <protocol, when CPython's pickle.dumps wrote it with default options>}
  {"source": ..., "hex": ..., "ok": false}       # CPython's C unpickler rejects it

Good cases are every pickle that the unpickling tests load and every pickle the pickling tests
write (all protocols); bad cases are every pickle the unpickling tests expect to be rejected.
Each case is checked here against the real C unpickler before it is printed.

Usage: python3 python/pickletester_corpus.py > corpus.jsonl
"""
import io
import json
import os
import pickle
import pickletools
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from oracle import oracle_loads  # noqa: E402
from tagged import to_tagged  # noqa: E402

from test import pickletester  # noqa: E402

cases = {}


def dis_text(data):
    out = io.StringIO()
    try:
        pickletools.dis(data, out)
    except Exception:
        return None
    return out.getvalue()


def record_good(source, data, kwargs, written_at=None):
    data = bytes(data)
    options = {k: v for k, v in kwargs.items() if k in ("encoding", "fix_imports")}
    import copyreg
    if copyreg._inverted_registry:
        options["extensions"] = {str(code): list(name) for code, name in copyreg._inverted_registry.items()}
    unsupported = set(kwargs) - {"encoding", "fix_imports", "errors"}
    if unsupported or kwargs.get("errors", "strict") != "strict":
        return
    key = (data, json.dumps(options, sort_keys=True))
    if key in cases:
        return
    try:
        pickle.loads(data, **kwargs)  # CPython loads it …
        resolved = []
        value = oracle_loads(data, opaque=True, resolved=resolved, **kwargs)  # … and this is what typed-pickle should give
        tagged = to_tagged(value)
    except Exception:
        return  # not a value CPython loads here (e.g. a class only the test defines at run time)
    try:
        strict = to_tagged(oracle_loads(data, opaque=False, **kwargs))
    except pickle.UnpicklingError:
        strict = None  # refused: a global outside the standard allowlist
    cases[key] = {"source": source, "hex": data.hex(), "ok": True, "options": options, "tagged": tagged,
                  "strict": strict, "dis": dis_text(data), "globals": sorted(set(resolved))}
    if written_at is not None:
        cases[key]["written_at"] = written_at  # pickle.dumps wrote it, at this protocol


def record_bad(source, data):
    data = bytes(data)
    key = (data, "bad")
    try:
        pickle.loads(data)
    except Exception:
        cases.setdefault(key, {"source": source, "hex": data.hex(), "ok": False})
        return
    raise AssertionError(f"CPython accepts a pickle the tests call bad: {data!r}")


class Unpickling(pickletester.AbstractUnpickleTests, unittest.TestCase):
    bad_stack_errors = (pickle.UnpicklingError, IndexError)
    truncated_errors = (pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError)

    def loads(self, data, **kwargs):
        record_good(self.id().rsplit(".", 1)[-1], data, kwargs)
        return pickle.loads(data, **kwargs)

    def check_unpickling_error(self, errors, data):
        record_bad(self.id().rsplit(".", 1)[-1], data)


class Pickling(pickletester.AbstractPickleTests, unittest.TestCase):
    pickler = pickle.Pickler
    unpickler = pickle.Unpickler

    def dumps(self, arg, proto=None, **kwargs):
        data = pickle.dumps(arg, proto, **kwargs)
        if "buffer_callback" not in kwargs:
            protocol = pickle.DEFAULT_PROTOCOL if proto is None else proto
            record_good(self.id().rsplit(".", 1)[-1], data, {}, None if kwargs else protocol)
        return data

    def loads(self, buf, **kwargs):
        return pickle.loads(buf, **kwargs)


def main():
    for name in dir(pickletester):
        if name.startswith("DATA") and isinstance(getattr(pickletester, name), bytes):
            record_good(name, getattr(pickletester, name), {})
    suite = unittest.TestSuite()
    for cls in (Unpickling, Pickling):
        suite.addTests(unittest.defaultTestLoader.loadTestsFromTestCase(cls))
    stream = io.StringIO()
    unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
    for case in cases.values():
        print(json.dumps(case, ensure_ascii=True))


if __name__ == "__main__":
    main()
