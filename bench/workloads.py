"""Generates the benchmark workloads deterministically (fixed seed) into bench/data/:

  records.pkl     10,000 User instances (bench_models.User with a nested Address)
  records-dicts.pkl + records.json   the same data as plain dicts (JSON: datetimes as ISO strings)
  floats.pkl / ints.pkl / strings.pkl / blob.pkl / deep.pkl  (+ .json where JSON can hold them)
  ndarray.pkl     one float64 numpy array of 1e6 elements (1000 × 1000)
  ndarrays.pkl    a list of 10,000 small numpy arrays (float64, 8 elements each)
  small-pickles.pkl  20,000 separate small pickles, each one Celery task message body
                  ((args), {kwargs}, {embed}), ~290–370 bytes: the file is a protocol-4 list of
                  those pickles as bytes (each written at the file's protocol), so both sides
                  loads/dumps them one by one
  tiny-pickles.pkl   500,000 separate `N.` pickles (issue 9 item 11's extreme), stored the same
                  way; the harnesses read them back to back from one 1 MB stream

Each pickle is written at protocols 2, 4 and 5 (name.pN.pkl). --scale multiplies the sizes.

Usage: python3 bench/workloads.py [--scale 1.0] [--seed 1234] [--out bench/data]
"""
import argparse
import datetime
import json
import os
import pickle
import random
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
sys.setrecursionlimit(20_000)  # the deep workload is ~470 levels: more than the default allows dumps
from bench_models import Address, User  # noqa: E402

WORDS = "alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega".split()
NON_ASCII = ["é", "ß", "ø", "漢", "字", "😀", "🚀", "ñ", "ü", "Ж"]


def name(rng):
    n = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(8, 14)))
    if rng.random() < 0.2:  # ~20% non-ASCII, emoji included
        i = rng.randrange(len(n))
        n = n[:i] + rng.choice(NON_ASCII) + n[i + 1:]
    return n.capitalize()


def records(rng, n):
    users = []
    base = datetime.datetime(2020, 1, 1)
    for i in range(n):
        address = Address(f"{rng.randint(1, 999)} {rng.choice(WORDS).title()} St", rng.choice(WORDS).title(), f"{rng.randint(0, 99999):05d}")
        users.append(
            User(
                name(rng), rng.randint(18, 90), round(rng.uniform(0, 100), 3), rng.random() < 0.7,
                rng.sample(WORDS, rng.randint(0, 5)), base + datetime.timedelta(seconds=rng.randint(0, 10**8), microseconds=rng.randint(0, 999999)),
                rng.choice([None, rng.randint(1, 10**6)]), address,
            )
        )
    return users


def as_dict(u):
    return {"name": u.name, "age": u.age, "score": u.score, "active": u.active, "tags": u.tags, "created": u.created,
            "parent_id": u.parent_id, "address": {"street": u.address.street, "city": u.address.city, "zip": u.address.zip}}


def celery_body(rng, i):
    """One Celery task message body (protocol 2 of Celery's task messages: args, kwargs, embed)."""
    user = name(rng)
    kwargs = {
        "to": f"{user.lower()}@example.com",
        "subject": " ".join(rng.sample(WORDS, rng.randint(2, 5))).capitalize(),
        "template": rng.choice(["welcome", "reset_password", "invoice", "digest"]),
        "locale": rng.choice(["en_US", "de_DE", "fr_FR", "ja_JP"]),
        "priority": round(rng.random(), 3),
        "retries": rng.randint(0, 3),
        "tags": rng.sample(WORDS, rng.randint(0, 4)),
        "context": {"request_id": f"{rng.getrandbits(128):032x}", "user": user, "amount": rng.randint(0, 10**6)},
    }
    embed = {"callbacks": None, "errbacks": None, "chain": None, "chord": None}
    return ((i, user), kwargs, embed)


def separate_pickles(values, protocol):
    """Each value pickled on its own; the list of their bytes is the workload's file (at protocol 4)."""
    return pickle.dumps([pickle.dumps(v, protocol=protocol) for v in values], protocol=4)


def deep(rng, target_bytes, depth):
    """~target_bytes of nested dicts and lists, `depth` levels deep along one spine."""
    def leafy(k):
        return {f"k{j}": [j, f"v{j}", j * 0.5] for j in range(k)}
    root = node = {"level": 0, "data": leafy(4)}
    for level in range(1, depth):
        child = {"level": level, "data": leafy(4), "items": [leafy(2), [level, level + 1]]}
        node["next"] = [child] if level % 2 else child
        node = child
    # widen until the pickle reaches the target size
    extra, size = [], len(pickle.dumps(root, 4))
    while size < target_bytes:
        extra.append(leafy(8))
        size += 300
    root["extra"] = extra
    return root


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "data"))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    s = args.scale
    os.makedirs(args.out, exist_ok=True)
    users = records(rng, max(10, int(10_000 * s)))
    dicts = [as_dict(u) for u in users]
    ints = [rng.choice([rng.randint(0, 255), rng.randint(-2**31, 2**31 - 1), rng.randint(-2**53, 2**53)]) for _ in range(int(1_000_000 * s))]
    for i in range(0, len(ints), 10_000):
        ints[i] = rng.randint(2**64, 2**70) * rng.choice([1, -1])  # a few beyond 2^64
    strings = []
    for _ in range(int(200_000 * s)):
        t = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randint(1, 200)))
        if rng.random() < 0.1:
            t += rng.choice(NON_ASCII)
        strings.append(t)
    workloads = {
        "records": users,
        "records-dicts": dicts,
        "floats": [rng.uniform(-1e6, 1e6) for _ in range(int(1_000_000 * s))],
        "ints": ints,
        "strings": strings,
        "blob": {f"blob{i}": rng.randbytes(max(1024, int(4 * 2**20 * s))) for i in range(16)},
        "deep": deep(rng, int(1_000_000 * s), 470 if s >= 1 else max(20, int(470 * s))),
        "ndarray": np.random.RandomState(args.seed).rand(max(1, int(1000 * s)), 1000),
        "ndarrays": [rs.rand(8) for rs in [np.random.RandomState(args.seed)] for _ in range(max(10, int(10_000 * s)))],
    }
    # Many separate pickles, each written on its own (tiny-pickles' `N.` is issue 9's literal bytes,
    # the same at every protocol). Made after the others, so their data does not change.
    bodies = [celery_body(rng, i) for i in range(max(10, int(20_000 * s)))]
    separate = {
        "small-pickles": lambda p: separate_pickles(bodies, p),
        "tiny-pickles": lambda p: pickle.dumps([b"N."] * max(10, int(500_000 * s)), protocol=4),
    }
    manifest = {}
    for name_, make in separate.items():
        for p in (2, 4, 5):
            data = make(p)
            with open(os.path.join(args.out, f"{name_}.p{p}.pkl"), "wb") as f:
                f.write(data)
            if p == 4:
                items = pickle.loads(data)
                manifest[name_] = {"bytes_p4": sum(map(len, items)), "pickles": len(items)}
    for name_, value in workloads.items():
        for p in (2, 4, 5):
            data = pickle.dumps(value, protocol=p)
            with open(os.path.join(args.out, f"{name_}.p{p}.pkl"), "wb") as f:
                f.write(data)
        manifest[name_] = {"bytes_p4": len(pickle.dumps(value, protocol=4))}
    # JSON equivalents (records as dicts with ISO datetimes; blob and records-as-objects have none)
    def default(o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        raise TypeError(type(o))
    for name_ in ("records-dicts", "floats", "strings", "deep"):
        with open(os.path.join(args.out, f"{name_}.json"), "w") as f:
            json.dump(workloads[name_], f, default=default)
    with open(os.path.join(args.out, "ints.json"), "w") as f:
        json.dump([str(i) if abs(i) >= 2**53 else i for i in ints], f)
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump({"scale": s, "seed": args.seed, "workloads": manifest}, f, indent=1)
    print(json.dumps(manifest))


if __name__ == "__main__":
    main()
