"""A timing server for bench/run.ts: reads one command per stdin line, answers one JSON line.

  loads PATH GC           → {"seconds": s}   pickle.loads of the file's bytes (GC "on"/"off")
  dumps PATH PROTOCOL GC  → {"seconds": s}   pickle.dumps of the value the file holds
  memory PATH             → {"bytes": n}     tracemalloc peak while loading the file

Values are loaded once per path and kept, so dumps times only dumps. Python and Node rounds
alternate: bench/run.ts asks for one round at a time.
"""
import gc
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


for line in sys.stdin:
    parts = line.split()
    if not parts:
        continue
    cmd = parts[0]
    if cmd == "loads":
        data, _ = data_of(parts[1])
        out = {"seconds": timed(lambda: pickle.loads(data), parts[2] == "on")}
    elif cmd == "dumps":
        _, value = data_of(parts[1])
        protocol = int(parts[2])
        out = {"seconds": timed(lambda: pickle.dumps(value, protocol), parts[3] == "on")}
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
