// The floors of the encode goals: what a pickler of each workload's value cannot skip, measured
// alone. A pickler must know, for every object it writes, whether it wrote it before in this pickle
// (CPython: its memo, a dict by id), and here also for every str, which it shares by value as the
// value model has no str identity. That memo's lookups and inserts, replayed in the order the
// pickler meets them (the sequence is found outside the clock), are the floor; so is reading each
// of the ints workload's bigints exactly (as two 32-bit halves). bench/floors.ts times them with
// bench/floor-cases.ts' decode floors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PyDateTime, PyTuple, T, loads, loadsTyped } from "typed-pickle";
import { UserCodec } from "./generated/records.ts";
import type { User } from "./schemas/records.ts";
import { type FloorCase, pickled } from "./floor-cases.ts";

/**
 * The memo keys of a lossless-model value in the order the pickler meets them: each list, dict,
 * tuple and datetime (by identity; a datetime's bytes and arguments are new, never looked up) and
 * each str (by value), keys before their values.
 */
function memoKeysOfValue(root: unknown): (object | string)[] {
  const keys: (object | string)[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === "string") keys.push(v);
    else if (Array.isArray(v)) {
      keys.push(v);
      for (const item of v) visit(item);
    } else if (v instanceof Map) {
      keys.push(v);
      for (const [k, item] of v) {
        visit(k);
        visit(item);
      }
    } else if (v instanceof PyTuple) {
      for (const item of v.items) visit(item);
      keys.push(v);
    } else if (v instanceof PyDateTime) keys.push(v);
  };
  visit(root);
  return keys;
}

/**
 * The memo keys the generated codec's direct writer meets for a list of users: each user, tags
 * list, datetime and address by identity and each str field value by value (attribute names are
 * constants whose memo index the writer keeps in a slot: no lookup).
 */
function memoKeysOfUsers(users: User[]): (object | string)[] {
  const keys: (object | string)[] = [users];
  for (const u of users) {
    keys.push(u, u.name, u.tags, ...u.tags, u.created, u.address, u.address.street, u.address.city, u.address.zip);
  }
  return keys;
}

/** The timed call: a new memo (a Map by identity, a Map by value for strs), a lookup per key and an insert per miss. */
function memoReplay(keys: (object | string)[]): () => number {
  return () => {
    const byIdentity = new Map<object, number>();
    const byValue = new Map<string, number>();
    let next = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (typeof k === "string") {
        if (byValue.get(k) === undefined) byValue.set(k, next++);
      } else if (byIdentity.get(k) === undefined) byIdentity.set(k, next++);
    }
    return next;
  };
}

const decodedWorkload = (dataDir: string, workload: string) =>
  loads(new Uint8Array(readFileSync(join(dataDir, `${workload}.p4.pkl`))), { limits: { maxDepth: 1e6, maxIntDigits: 1e6 } });

/** The generic writer's memo for a workload's decoded value, replayed alone. */
function genericMemoCase(workload: string, items: number, keys: string): FloorCase {
  return {
    name: `${workload}-memo`,
    what: `the ${workload} value's memo alone: ${keys}`,
    items,
    floorFor: { workload, op: "encode", count: items, note: "the memo of the generic writer" },
    setup: (dataDir) => memoReplay(memoKeysOfValue(decodedWorkload(dataDir, workload))),
  };
}

export const ENCODE_FLOOR_CASES: FloorCase[] = [
  {
    name: "records-memo",
    what: "the typed records' memo alone: 10k × (user, tags, datetime, address by identity; name, 2 tags, street, city, zip by value)",
    items: 10_000,
    floorFor: { workload: "records", op: "encode", count: 10_000, note: "the memo of the generated codec's direct writer" },
    setup: (dataDir) => memoReplay(memoKeysOfUsers(loadsTyped(T.list(UserCodec), new Uint8Array(readFileSync(join(dataDir, "records.p4.pkl")))))),
  },
  genericMemoCase("records-dicts", 10_000, "30k containers and 10k datetimes by identity, 175k str keys and values by value"),
  genericMemoCase("deep", 1, "32.8k dicts and lists by identity, 56k str keys and values by value"),
  genericMemoCase("strings", 200_000, "200k strs (198,751 distinct) by value"),
  {
    name: "bigint-read",
    what: "the ints workload's 1M bigints read exactly: two comparisons with constant bigints (does it fit 64 bits?), then its halves through a `BigInt64Array`",
    items: 1_000_000,
    floorFor: { workload: "ints", op: "encode", count: 1_000_000, note: "each int's value, read from its bigint (as the writer's int runs read it)" },
    setup: (dataDir) => {
      const ints = pickled<bigint[]>(dataDir, "ints");
      const int64 = new BigInt64Array(1);
      const halves = new Int32Array(int64.buffer);
      const min = -(2n ** 63n);
      const max = 2n ** 63n - 1n;
      return () => {
        let sum = 0;
        for (let i = 0; i < ints.length; i++) {
          const v = ints[i]!;
          if (v < min || v > max) continue;
          int64[0] = v;
          sum ^= halves[0]! ^ halves[1]!;
        }
        return sum;
      };
    },
  },
];
