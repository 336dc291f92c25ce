"""The fuzzer's differential oracle: CPython's C unpickler under typed-pickle's rules for globals
(python/oracle.py: find_class resolves only the standard allowlist; in opaque mode anything else
is a stand-in that records what is done with it and calls nothing), many inputs per process.

One "ID HEX" pickle per stdin line; per line one JSON line, carrying the ID back:

  {"id": ID, "strict": A, "opaque": A}     A = {"ok": true, "tagged": …} | {"ok": true, "untaggable": "…"}
                                     | {"ok": false, "error": "Type: message"}
  {"tainted": "…", "strict": …}  the input changed the oracle itself (e.g. BUILD setting attributes
                                 on uuid.UUID or on a stand-in): the answer is given, then the
                                 process exits so that the next input meets a clean oracle.

Guards: address space capped (a `bytes(2**40)` reduction is a MemoryError, not a swapping
machine), a per-input alarm, and a big C stack is expected from the caller (`ulimit -s`) for
tagging deeply nested values. Nothing outside the allowlist is ever imported or called.

Usage: python3 python/fuzz_oracle.py < pickles.txt   (lines "ID HEX")
"""
import io
import json
import os
import pickletools
import resource
import signal
import sys
import uuid
import zoneinfo

sys.path.insert(0, os.path.dirname(__file__))
import oracle  # noqa: E402
from oracle import OracleUnpickler  # noqa: E402
from tagged import to_tagged  # noqa: E402

sys.setrecursionlimit(200_000)
PER_INPUT_SECONDS = 10
GIB = 1 << 30


class OracleTimeout(BaseException):
    """Raised by the alarm; a BaseException so that the unpickler's own handlers do not swallow it."""


def _alarm(signum, frame):
    raise OracleTimeout()


def _watched():
    """Objects an input could change through BUILD or setattr: the mutable classes and functions
    the oracle hands out."""
    funcs = [oracle._reconstructor, oracle._newobj, oracle._newobj_ex, oracle._opaque_getattr, oracle._strict_getattr]
    return [uuid.UUID, oracle.Opaque, oracle.Reduced, oracle.getattr_stand_in, zoneinfo.ZoneInfo, *funcs]


def _fingerprint():
    parts = []
    for obj in _watched():
        d = getattr(obj, "__dict__", {})
        parts.append(tuple(sorted((str(k), id(v)) for k, v in d.items())))
        for attr in ("__qualname__", "__module__", "__name__", "__defaults__", "__kwdefaults__", "__class__"):
            v = getattr(obj, attr, None)
            parts.append(repr(v) if isinstance(v, (str, type(None))) else id(v))  # C types make their names afresh
    return parts


RESOLVING = {"GLOBAL", "INST", "STACK_GLOBAL", "EXT1", "EXT2", "EXT4"}


def protocols_at_globals(data):
    """The protocol in effect (the last PROTO before it) at each opcode that asks find_class, in
    stream order: a pickle may carry a second PROTO, and CPython maps Python 2 names by the current
    one. (python/oracle.py takes the first PROTO for the whole pickle.)"""
    proto, out = 0, []
    try:
        for op, arg, _pos in pickletools.genops(data):
            if op.name == "PROTO":
                proto = arg
            elif op.name in RESOLVING:
                out.append(proto)
    except Exception:  # noqa: BLE001 - malformed further on: what was seen is enough
        pass
    return out


class FuzzUnpickler(OracleUnpickler):
    """python/oracle.py's unpickler, with the protocol followed opcode by opcode."""

    def __init__(self, data, opaque):
        protocols = protocols_at_globals(data)
        super().__init__(io.BytesIO(data), opaque=opaque, proto=protocols[0] if protocols else 0)
        self._protocols = iter(protocols)

    def find_class(self, module, name):
        self.proto = next(self._protocols, self.proto)
        return super().find_class(module, name)


def oracle_loads(data, opaque):
    import copyreg
    copyreg._extension_cache.clear()  # as python/oracle.py: EXT codes must go through find_class
    return FuzzUnpickler(data, opaque).load()


def answer(data, opaque):
    try:
        value = oracle_loads(data, opaque=opaque)
    except OracleTimeout:
        raise
    except RecursionError as e:
        return {"ok": False, "error": f"RecursionError: {e}"}
    except MemoryError:
        return {"ok": False, "memory": True, "error": "MemoryError"}
    except Exception as e:  # noqa: BLE001 - every refusal is an answer here
        return {"ok": False, "error": f"{type(e).__name__}: {e}"}
    try:
        return {"ok": True, "tagged": to_tagged(value)}
    except OracleTimeout:
        raise
    except BaseException as e:  # noqa: BLE001 - a value python/tagged.py cannot print (a >4300-digit int)
        return {"ok": True, "untaggable": f"{type(e).__name__}: {e}"}


def main():
    resource.setrlimit(resource.RLIMIT_AS, (4 * GIB, 4 * GIB))
    signal.signal(signal.SIGALRM, _alarm)
    clean = _fingerprint()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        ident, _, hex_data = line.partition(" ")
        data = bytes.fromhex(hex_data)
        out = {"id": int(ident)}
        for mode in ("strict", "opaque"):
            signal.setitimer(signal.ITIMER_REAL, PER_INPUT_SECONDS)
            try:
                out[mode] = answer(data, opaque=(mode == "opaque"))
            except OracleTimeout:
                out[mode] = {"ok": False, "timeout": True, "error": "OracleTimeout"}
            except MemoryError:
                out[mode] = {"ok": False, "memory": True, "error": "MemoryError"}
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        oracle._stand_ins.clear()  # stand-ins are made afresh for every input
        tainted = _fingerprint() != clean
        if tainted:
            out["tainted"] = "the input changed a class or function of the oracle"
        try:
            text = json.dumps(out, ensure_ascii=True)
        except (ValueError, RecursionError) as e:
            text = json.dumps({"id": out["id"], **{m: {"ok": True, "untaggable": f"{type(e).__name__}: {e}"} for m in ("strict", "opaque")}})
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        if tainted:
            return


if __name__ == "__main__":
    main()
