"""A timing server for bench/run.ts: reads one command per stdin line, answers one JSON line.

  loads PATH GC           → {"seconds": s}   pickle.loads of the file's bytes (GC "on"/"off")
  dumps PATH PROTOCOL GC  → {"seconds": s}   pickle.dumps of the value the file holds
  memory PATH             → {"bytes": n}     tracemalloc peak while loading the file

For the workloads made of many separate pickles (the file holds the list of their bytes):

  loads-each PATH GC           → [pickle.loads(b) for b in items]
  dumps-each PATH PROTOCOL GC  → [pickle.dumps(v, protocol) for v in values], one pickle per value
  load-stream PATH GC          → pickle.load(f) until EOFError, over one BytesIO of the items back to back

Values are loaded once per path and kept, so dumps times only dumps. Python and Node rounds
alternate: bench/run.ts asks for one round at a time. `operation` is importable (bench/steady-timeit.ts
hands it to `python3 -m timeit`), so the timed statements have one home.
"""
import gc
import io
import json
import os
import pickle
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(__file__))
sys.setrecursionlimit(20_000)

cache = {}


def data_of(path):
    if path not in cache:
        with open(path, "rb") as f:
            data = f.read()
        cache[path] = (data, pickle.loads(data))
    return cache[path]


def items_of(path):
    """A many-pickles workload: the separate pickles' bytes, and the values they hold."""
    key = ("items", path)
    if key not in cache:
        data, items = data_of(path)
        cache[key] = (items, [pickle.loads(b) for b in items])
    return cache[key]


def load_stream(stream):
    """Every pickle of a stream, back to back, the way a Python consumer reads a file of them."""
    f = io.BytesIO(stream)
    values = []
    try:
        while True:
            values.append(pickle.load(f))
    except EOFError:
        return values


def operation(cmd, path, protocol=None):
    """The zero-argument call a command times (its data loaded and kept beforehand)."""
    if cmd == "loads":
        data, _ = data_of(path)
        return lambda: pickle.loads(data)
    if cmd == "dumps":
        _, value = data_of(path)
        return lambda: pickle.dumps(value, protocol)
    if cmd == "loads-each":
        items, _ = items_of(path)
        return lambda: [pickle.loads(b) for b in items]
    if cmd == "dumps-each":
        _, values = items_of(path)
        return lambda: [pickle.dumps(v, protocol) for v in values]
    if cmd == "load-stream":
        key = ("stream", path)
        if key not in cache:
            cache[key] = b"".join(items_of(path)[0])
        stream = cache[key]
        return lambda: load_stream(stream)
    raise KeyError(cmd)


def timed(fn, gc_on):
    if not gc_on:
        gc.disable()
    try:
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        # The result is freed after the clock stops: loads, not loads and a deallocation (Node's
        # side frees later too, in its GC).
        del result
        return elapsed
    finally:
        gc.enable()


def serve():
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        cmd = parts[0]
        if cmd in ("loads", "loads-each", "load-stream"):
            out = {"seconds": timed(operation(cmd, parts[1]), parts[2] == "on")}
        elif cmd in ("dumps", "dumps-each"):
            out = {"seconds": timed(operation(cmd, parts[1], int(parts[2])), parts[3] == "on")}
        elif cmd == "memory":
            data, _ = data_of(parts[1])
            gc.collect()
            tracemalloc.start()
            kept = pickle.loads(data)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            del kept
            out = {"bytes": peak}
        else:
            out = {"error": f"unknown command {cmd}"}
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
