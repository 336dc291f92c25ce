"""The oracle for numpy arrays and scalars in typed fields (test/numpy/typed-*.test.ts).

Runs under any numpy (the PATH python3's 2.x, or a numpy 1.x venv). Reads JSON lines on stdin,
answers one JSON line each:

  {"op": "make", "case": C, "protocol": P}           → {"hex": pickle.dumps(sample C, P)}
  {"op": "check", "case": C, "protocol": P, "hex": H} → {"equal": …, "problems": […], "identical": …}
  {"op": "version"}                                   → {"numpy": numpy.__version__}

With "oob": true (protocol 5), the data travels out of band: `make` answers {"hex", "buffers": [hex…]}
(buffer_callback collecting them), `check` takes "buffers" and compares both the pickle and the buffers.

`check` loads H with pickle.loads and compares each field with the sample: same type, dtype, shape
and values (np.array_equal, NaN equal to NaN), and for arrays the memory order; `identical` says
whether H is byte for byte what this numpy's pickle.dumps(sample, P) writes.
"""
import json
import pickle
import sys

import numpy as np

from myapp.ml import Arrays, Model, Stats


def model():
    # The done-when sample: seeded, so that both numpy generations make the same numbers.
    return Model(np.random.RandomState(0).rand(1000, 100), np.arange(1000))


def arrays():
    return Arrays(
        flags=np.array([[True, False, True], [False, True, True]]),
        i1=np.array([-128, 0, 127], np.int8),
        i2=np.asfortranarray(np.arange(-3, 3, dtype=np.int16).reshape(2, 3)),
        i4=np.array([[1, 2], [3, -4]], np.int32),
        i8=np.array([-(2**63), 2**63 - 1, 0], np.int64),
        u1=np.array([0, 255], np.uint8),
        u2=np.array([65535, 1], np.uint16),
        u4=np.array([2**32 - 1], np.uint32),
        u8=np.array([2**64 - 1, 0], np.uint64),
        f2=np.array([1.5, -0.0, np.inf, 65504, np.nan], np.float16),
        f4=np.asfortranarray(np.array([[1.25, -2.5], [3.0, np.nan]], np.float32)),
        f8=np.array(3.5),
        c8=np.array([1 + 2j, -3.5j], np.complex64),
        c16=np.array([[1 + 1j], [2 - 2j]]),
        empty=np.zeros((0, 3)),
        names=np.array(["ab", "héll", ""]),
        codes=np.array([b"ab", b"xyz", b""]),
    )


def stats():
    return Stats(
        mean=np.float64(1.5), f4=np.float32(0.1), f2=np.float16(0.5), count=np.int64(-3), i4=np.int32(-7),
        i2=np.int16(-300), i1=np.int8(-1), u8=np.uint64(2**64 - 1), u4=np.uint32(4000000000), u2=np.uint16(65535),
        u1=np.uint8(200), ok=np.bool_(True), no=np.bool_(False),
    )


def big_endian():
    """Read-only sample: data in the other byte order (written back in the native one)."""
    a = arrays()
    a.f8, a.i4, a.c16 = np.array([1.5, -2.0], ">f8"), np.array([[1, -2]], ">i4"), np.array([1 - 1j], ">c16")
    a.f2, a.u8, a.names = np.array([0.5], ">f2"), np.array([2**64 - 2], ">u8"), np.array(["zé"], ">U2")
    return a


def strided():
    """Read-only sample: views that are not contiguous (a transposed 3-d array numpy >= 2.3
    pickles with order 'K' at protocol 5; a strided slice), written back in C order."""
    a = arrays()
    a.i8, a.f8 = np.arange(24).reshape(2, 3, 4).transpose(1, 0, 2), np.arange(6.0).reshape(2, 3)[:, ::2]
    return a


def wrong_dtype():
    """A float32 array where the schema says float64 (refused on load, with the field's path)."""
    return Model(np.zeros((2, 2), np.float32), np.arange(2))


CASES = {"wrong_dtype": wrong_dtype, "model": model, "arrays": arrays, "stats": stats, "big_endian": big_endian, "strided": strided}


def same(a, b, name):
    if type(a) is not type(b):
        return f"{name}: {type(b).__name__} where {type(a).__name__} was pickled"
    if isinstance(a, np.ndarray):
        # Data of the other byte order is written back in the native one (as numpy itself does at protocol 2).
        if a.dtype != b.dtype and not (a.dtype.byteorder == ">" and a.dtype.newbyteorder("=") == b.dtype):
            return f"{name}: dtype {b.dtype.str} where {a.dtype.str} was pickled"
        if a.shape != b.shape:
            return f"{name}: shape {b.shape} where {a.shape} was pickled"
        if not np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"):
            return f"{name}: values {b!r} where {a!r} was pickled"
        if a.ndim > 1 and a.flags.f_contiguous != b.flags.f_contiguous and not a.flags.c_contiguous:
            return f"{name}: F-contiguous is {b.flags.f_contiguous} where {a.flags.f_contiguous} was pickled"
        return None
    if isinstance(a, np.generic):
        if a.dtype != b.dtype or not (a == b or (a != a and b != b)):
            return f"{name}: {b!r} ({b.dtype}) where {a!r} ({a.dtype}) was pickled"
        return None
    return None if a == b else f"{name}: {b!r} where {a!r} was pickled"


def dumped(sample, protocol, oob):
    """The pickle of `sample`, and its out-of-band buffers' bytes (None when in band)."""
    if not oob:
        return pickle.dumps(sample, protocol), None
    buffers = []
    return pickle.dumps(sample, protocol, buffer_callback=buffers.append), [bytes(b.raw()) for b in buffers]


def check(case, protocol, data, buffers=None):
    sample = CASES[case]()
    loaded = pickle.loads(data, buffers=buffers)
    problems = []
    if type(loaded) is not type(sample):
        problems.append(f"{type(loaded).__name__} where {type(sample).__name__} was pickled")
    else:
        expected, got = vars(sample), vars(loaded)
        if list(expected) != list(got):
            problems.append(f"fields {list(got)} where {list(expected)} were pickled")
        for name in expected:
            if name in got:
                problem = same(expected[name], got[name], name)
                if problem:
                    problems.append(problem)
    return {"equal": not problems, "problems": problems, "identical": (data, buffers) == dumped(sample, protocol, buffers is not None)}


for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    if req["op"] == "version":
        out = {"numpy": np.__version__}
    elif req["op"] == "make":
        data, buffers = dumped(CASES[req["case"]](), req["protocol"], req.get("oob", False))
        out = {"hex": data.hex()} if buffers is None else {"hex": data.hex(), "buffers": [b.hex() for b in buffers]}
    else:
        buffers = req.get("buffers")
        out = check(req["case"], req["protocol"], bytes.fromhex(req["hex"]), None if buffers is None else [bytes.fromhex(b) for b in buffers])
    sys.stdout.write(json.dumps(out) + "\n")
