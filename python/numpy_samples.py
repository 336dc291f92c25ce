"""Pickles of numpy arrays and scalars, as JSON lines, for test/numpy: every dtype typed-pickle
models, C/F/K and non-contiguous layouts, big-endian data, zero-size and 0-d arrays, read-only
buffers, protocols 2-5 (5 also out of band), and numpy values typed-pickle does not model.

Run with any numpy (the PATH python3 has 2.x; test/numpy makes a 1.26 venv). Each line:
  {"name", "protocol", "hex", "buffers": [hex] | null, "expect": ...}
where expect describes the value as numpy sees it: for an array
  {"array": {"dtype": a.dtype.str, "shape": [...], "c_bytes": hex of the C-order bytes, "readonly": bool}}
for a scalar {"scalar": {"dtype": ..., "bytes": hex of its item}}, for a list of them {"list": [...]},
or {"unsupported": what} for values typed-pickle refuses (strict) / keeps opaque.
"""

import json
import pickle
import sys

import numpy as np


def describe(v):
    if isinstance(v, np.ndarray):
        return {"array": {"dtype": v.dtype.str, "shape": list(v.shape), "c_bytes": np.ascontiguousarray(v).tobytes().hex(), "readonly": not v.flags.writeable}}
    if isinstance(v, np.generic):
        return {"scalar": {"dtype": v.dtype.str, "bytes": v.tobytes().hex()}}
    if isinstance(v, list):
        return {"list": [describe(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[k, describe(x)] for k, x in v.items()]}
    return {"python": repr(v)}


def base_values():
    """name -> a 2x3 array of each modelled dtype, with values that show sign, size and range."""
    ints = [[0, 1, -1], [127, -128, 5]]
    out = {
        "bool": np.array([[True, False, True], [False, False, True]]),
        "int8": np.array(ints, dtype="i1"),
        "int16": np.array([[0, 1, -1], [32767, -32768, 300]], dtype="i2"),
        "int32": np.array([[0, 1, -1], [2**31 - 1, -(2**31), 70000]], dtype="i4"),
        "int64": np.array([[0, 1, -1], [2**63 - 1, -(2**63), 2**40]], dtype="i8"),
        "uint8": np.array([[0, 1, 255], [128, 7, 200]], dtype="u1"),
        "uint16": np.array([[0, 1, 65535], [256, 7, 40000]], dtype="u2"),
        "uint32": np.array([[0, 1, 2**32 - 1], [2**31, 7, 70000]], dtype="u4"),
        "uint64": np.array([[0, 1, 2**64 - 1], [2**63, 7, 2**40]], dtype="u8"),
        "float16": np.array([[0.0, -0.0, 1.5], [65504, np.inf, 6e-8]], dtype="f2"),
        "float32": np.array([[0.1, -0.0, 1.5], [3.4e38, -np.inf, 1e-45]], dtype="f4"),
        "float64": np.array([[0.1, -0.0, 1.5], [1e308, np.nan, 5e-324]], dtype="f8"),
        "complex64": np.array([[1 + 2j, -0.5j, 0], [np.inf, 1e-3 - 1j, 3]], dtype="c8"),
        "complex128": np.array([[1 + 2j, -0.5j, 0], [np.inf, 1e-300 - 1j, 3]], dtype="c16"),
        "bytes": np.array([[b"ab", b"", b"xyz"], [b"\x00a", b"q", b"\xff\x01\x00"]], dtype="S3"),
        "str": np.array([["ab", "", "h\u00e9"], ["\U0001f600", "z", "\x00a"]], dtype="U2"),
    }
    return out


def samples():
    base = base_values()
    arrays = {}
    for name, a in base.items():
        arrays[name] = a
        if a.dtype.itemsize > 1 and a.dtype.kind != "S":
            arrays[name + " big-endian"] = a.astype(a.dtype.newbyteorder(">"))
    f8 = base["float64"]
    arrays["F order"] = np.asfortranarray(np.arange(6, dtype="f8").reshape(2, 3))
    arrays["F order int16 big-endian"] = np.asfortranarray(np.arange(12, dtype=">i2").reshape(3, 4))
    arrays["K order (transposed 3-d)"] = np.arange(24, dtype="i8").reshape(2, 3, 4).transpose(1, 0, 2)
    arrays["K order str"] = np.array([["a", "bb"], ["c", "d"], ["e", "f"]] * 2).reshape(2, 3, 2).transpose(2, 0, 1)
    arrays["non-contiguous (strided)"] = np.arange(10, dtype="i4")[::2]
    arrays["1-d"] = np.arange(5, dtype="f8")
    arrays["0-d"] = np.array(1.5)
    arrays["0-d str"] = np.array("hi")
    arrays["zero-size (0,)"] = np.zeros(0, dtype="f8")
    arrays["zero-size (0, 3)"] = np.zeros((0, 3), dtype="i2")
    arrays["zero-size (2, 0) F"] = np.asfortranarray(np.zeros((2, 0), dtype="u1"))
    arrays["one element"] = np.array([7], dtype="i1")
    arrays["read-only"] = np.frombuffer(b"\x01\x00\x02\x00\x03\x00", dtype="<i2")
    arrays["unit dims (1, 3, 1)"] = np.arange(3, dtype="f4").reshape(1, 3, 1)
    arrays["over 64 KiB (9000 float64)"] = np.arange(9000, dtype="f8")

    for protocol in (2, 3, 4, 5):
        for name, a in arrays.items():
            yield name, protocol, a
    scalars = {
        "scalar bool": np.True_,
        "scalar int8": np.int8(-3),
        "scalar int16": np.int16(-300),
        "scalar int32": np.int32(-(2**31)),
        "scalar int64": np.int64(2**62),
        "scalar uint8": np.uint8(255),
        "scalar uint16": np.uint16(65535),
        "scalar uint32": np.uint32(2**32 - 1),
        "scalar uint64": np.uint64(2**64 - 1),
        "scalar float16": np.float16(0.1),
        "scalar float32": np.float32(0.1),
        "scalar float64": np.float64(-1.5e300),
        "scalar complex64": np.complex64(1 + 2j),
        "scalar complex128": np.complex128(-0.0 - 1e-300j),
        "scalar bytes": np.bytes_(b"xy"),
        "scalar str": np.str_("h\u00e9\U0001f600"),
        "scalar big-endian": np.array([5], dtype=">i4")[0],
    }
    for protocol in (2, 3, 4, 5):
        for name, s in scalars.items():
            yield name, protocol, s
        # Sharing: a dtype singleton, a repeated array, and names CPython writes as fresh strings.
        a, b = np.arange(3.0), np.arange(2.0)
        yield "shared dtype and array", protocol, [a, b, a, np.float64(2.5), np.int8(1)]
        yield "dict with numpy's names as keys", protocol, {"dtype": 1, "ndarray": 2, "_reconstruct": 3, "scalar": 4, "_frombuffer": 5, "a": np.arange(2, dtype="i2"), "s": np.float32(1)}


def unsupported():
    """Numpy values typed-pickle does not model, with what they are."""
    import numpy.ma as ma

    return [
        ("object array", "object", np.array([1, "a", None], dtype=object)),
        ("structured array", "structured", np.zeros(2, dtype=[("x", "<i4"), ("y", "<f8")])),
        ("datetime64 array", "datetime64", np.array(["2024-01-01"], dtype="M8[D]")),
        ("masked array", "numpy.ma", ma.masked_array([1, 2, 3], mask=[0, 1, 0])),
        ("matrix", "numpy.matrix", np.asmatrix(np.eye(2))),
        ("datetime64 scalar", "datetime64", np.datetime64("2024-01-01")),
        ("longdouble array", "long double", np.zeros(2, dtype=np.longdouble)),
    ]


def emit(name, protocol, value, expect):
    # numpy's own repr of a scalar, which `show` prints alike.
    shown = repr(value) if isinstance(value, np.generic) else None
    print(json.dumps({"name": name, "protocol": protocol, "hex": pickle.dumps(value, protocol=protocol).hex(), "buffers": None, "expect": expect, "repr": shown}))
    if protocol == 5:
        buffers = []
        data = pickle.dumps(value, protocol=5, buffer_callback=buffers.append)
        if buffers:
            print(json.dumps({"name": name + " (out of band)", "protocol": 5, "hex": data.hex(), "buffers": [bytes(b.raw()).hex() for b in buffers], "expect": expect}))


def main():
    print(json.dumps({"numpy": np.__version__}))
    for name, protocol, value in samples():
        emit(name, protocol, value, describe(value))
    for name, what, value in unsupported():
        for protocol in (2, 5):
            emit(name, protocol, value, {"unsupported": what})


if __name__ == "__main__":
    main()
    sys.stdout.flush()
