// The floors of issue 16's missed goals: the irreducible JavaScript costs a workload's op cannot
// avoid (making its numbers, containers and strings), each measured alone, with the CPython
// counterpart where one exists at C speed (or labelled where only an interpreted loop does it).
// bench/floors.ts times them in the steady state; this file says what each one is and what it is a
// floor for. Setup runs once per process, outside the clock; `run` is the timed call and returns what
// it made, which the timer keeps until the next call (as a decoder's caller holds its result).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PyDateTime, T, loads, loadsTyped } from "typed-pickle";
import { UserCodec } from "./generated/records.ts";
import { Address, User } from "./schemas/records.ts";
import { PLAN_BY_CODE } from "../runtime/reader/read-plans.ts";
import { decodeUtf8 } from "../runtime/utf8.ts";
import { concatBytes } from "../runtime/host-bytes.ts";

export interface FloorCase {
  name: string;
  /** What the timed call does (items = how many things it makes). */
  what: string;
  items: number;
  /** The workload op it is a floor for, and how many of these the op makes (scales the floor to it; none: per item only). */
  floorFor: { workload: string; op: "decode" | "encode"; count?: number; note: string };
  /** Builds the inputs (untimed) and returns the timed call. */
  setup: (dataDir: string) => () => unknown;
  /** CPython's counterpart, run by bench/python_statement_timer.py: setup once, stmt timed. */
  python?: { setup: string; stmt: string; note?: string };
}

export const M = 1_000_000;

/** Small ints as the ints workload has them (|n| < 2^31), from a fixed formula. */
const smallInts = (n: number) => Int32Array.from({ length: n }, (_, i) => ((i * 2654435761) % 2 ** 31) - 2 ** 30);

/** `n` little-endian words of `width` bytes, from a fixed formula (the high byte keeps 9-byte values beyond 2^64). */
function words(n: number, width: number): DataView {
  const bytes = new Uint8Array(n * width);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) & 0xff;
  return new DataView(bytes.buffer);
}

export const pickled = <T>(dataDir: string, workload: string) => loads(new Uint8Array(readFileSync(join(dataDir, `${workload}.p4.pkl`)))) as T;

/** The strings workload's strings, UTF-8 encoded back to back (one buffer, as in a pickle), with their offsets. */
function stringsData(dataDir: string) {
  const strings = pickled<string[]>(dataDir, "strings");
  const encoder = new TextEncoder();
  const parts = strings.map((s) => encoder.encode(s));
  const buffer = Buffer.alloc(parts.reduce((n, p) => n + p.length, 0));
  const offsets = new Uint32Array(parts.length + 1);
  parts.forEach((p, i) => {
    buffer.set(p, offsets[i]!);
    offsets[i + 1] = offsets[i]! + p.length;
  });
  return { strings, buffer, offsets, out: Buffer.alloc(buffer.length * 3) };
}

/** A hand-written UTF-8 decoder with no validation: the JS-loop lower bound (the runtime's own validates). */
const units: number[] = [];
function decodeUtf8Loop(b: Uint8Array, i: number, end: number): string {
  units.length = 0;
  while (i < end) {
    const c = b[i++]!;
    if (c < 0x80) units.push(c);
    else if (c < 0xe0) units.push(((c & 0x1f) << 6) | (b[i++]! & 0x3f));
    else if (c < 0xf0) units.push(((c & 0x0f) << 12) | ((b[i++]! & 0x3f) << 6) | (b[i++]! & 0x3f));
    else {
      const cp = (((c & 0x07) << 18) | ((b[i++]! & 0x3f) << 12) | ((b[i++]! & 0x3f) << 6) | (b[i++]! & 0x3f)) - 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    }
  }
  return String.fromCharCode.apply(null, units);
}

/** A hand-written UTF-8 encoder (well-formed strings assumed): the JS-loop lower bound. */
function encodeUtf8Loop(s: string, out: Uint8Array, at: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) out[at++] = c;
    else if (c < 0x800) {
      out[at++] = 0xc0 | (c >> 6);
      out[at++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c < 0xdc00) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      out[at++] = 0xf0 | (c >> 18);
      out[at++] = 0x80 | ((c >> 12) & 0x3f);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    } else {
      out[at++] = 0xe0 | (c >> 12);
      out[at++] = 0x80 | ((c >> 6) & 0x3f);
      out[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

// Node's Buffer methods behind toString/write (what runtime/utf8.ts calls), without their argument checks.
interface BufferInternals {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
  utf8Write(s: string, offset: number): number;
  latin1Write(s: string, offset: number): number;
}

const STRINGS_DECODE = { workload: "strings", op: "decode", count: 200_000, note: "200k strs" } as const;
const STRINGS_ENCODE = { workload: "strings", op: "encode", count: 200_000, note: "200k strs" } as const;
const STRINGS_PY_SETUP = "import pickle; strings = pickle.load(open(DATA + '/strings.p4.pkl', 'rb')); items = [s.encode() for s in strings]";
const RECORD_KEYS = ["name", "age", "score", "active", "tags", "created", "parent_id", "address"];
const RECORDS_PY_SETUP = "names = [f'name{i}' for i in range(10_000)]; tags = ['alpha', 'beta']";

/** records-dicts' containers, each dict made by `dict(keys, values)`: 10k records, each with an address and a tags list. */
function recordContainers(dict: (keys: readonly string[], values: unknown[]) => unknown) {
  const names = Array.from({ length: 10_000 }, (_, i) => `name${i}`);
  const addressKeys = ["street", "city", "zip"];
  return () => {
    const out: unknown[] = [];
    for (const n of names) {
      const address = dict(addressKeys, [n, n, n]);
      out.push(dict(RECORD_KEYS, [n, 1, 2.5, true, ["alpha", "beta"], null, null, address]));
    }
    return out;
  };
}
/** Python's small ints as the reader keeps them (BININT1 gives one of these; larger ints are new BigInts). */
const SMALL_BIGINTS: readonly bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));
const bigintOf = (n: number) => (n < 256 && n >= 0 ? SMALL_BIGINTS[n]! : BigInt(n));

/** Strings UTF-8 encoded back to back (as in a pickle): `str(i)` makes the i-th one anew, as a reader decodes it. */
export function freshStrings(strings: readonly string[]): (i: number) => string {
  const parts = strings.map((s) => new TextEncoder().encode(s));
  const bytes = concatBytes(parts);
  const offsets = new Uint32Array(parts.length + 1);
  parts.forEach((p, i) => {
    offsets[i + 1] = offsets[i]! + p.length;
  });
  return (i) => decodeUtf8(bytes, offsets[i]!, offsets[i + 1]!);
}

/**
 * The records-dicts value rebuilt with nothing but its own objects (lossless model), its primitives
 * premade: per record a Map of 8 and a Map of 3 (keys shared, as the pickle's BINGETs share them),
 * four new strs (name, street, city, zip, as the pickle writes them anew), a new float, a tags array
 * of shared strs and a PyDateTime. No parsing, no checks, exact-size arrays: a lower bound of any
 * reader of this model. The reader's transient objects (each datetime's bytes and args tuple) are
 * left out.
 */
function recordsDictsGraph(dataDir: string): () => unknown {
  const records = pickled<Map<string, unknown>[]>(dataDir, "records-dicts");
  const field = <T>(r: Map<string, unknown>, k: string) => r.get(k) as T;
  const address = (r: Map<string, unknown>, k: string) => field<Map<string, string>>(r, "address").get(k)!;
  const str = freshStrings(records.flatMap((r) => [field<string>(r, "name"), address(r, "street"), address(r, "city"), address(r, "zip")]));
  const scores = Float64Array.from(records, (r) => field<number>(r, "score"));
  const ages = records.map((r) => Number(field<bigint>(r, "age")));
  const active = records.map((r) => field<boolean>(r, "active"));
  const tags = records.map((r) => field<string[]>(r, "tags"));
  const parents = records.map((r) => field<bigint | null>(r, "parent_id"));
  const created = records.map((r) => field<PyDateTime>(r, "created"));
  return () => {
    const out: Map<string, unknown>[] = [];
    for (let i = 0; i < records.length; i++) {
      const m = new Map<string, unknown>();
      m.set("name", str(4 * i));
      m.set("age", bigintOf(ages[i]!));
      m.set("score", scores[i]);
      m.set("active", active[i]);
      m.set("tags", tags[i]!.slice());
      const t = created[i]!;
      m.set("created", new PyDateTime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond));
      const parent = parents[i]!;
      m.set("parent_id", parent === null ? null : bigintOf(Number(parent)));
      const a = new Map<string, unknown>();
      a.set("street", str(4 * i + 1));
      a.set("city", str(4 * i + 2));
      a.set("zip", str(4 * i + 3));
      m.set("address", a);
      out.push(m);
    }
    return out;
  };
}

/**
 * The typed records value rebuilt from its own objects, as the generated codec makes it: per record
 * a User and an Address (made as the codec makes instances: a constructor function sharing the
 * class's prototype, fields assigned), four new strs, a PyDateTime and an exact-size tags array of
 * shared strs; numbers premade. No parsing, no checks.
 */
function recordsTypedGraph(dataDir: string): () => unknown {
  const users = loadsTyped(T.list(UserCodec), new Uint8Array(readFileSync(join(dataDir, "records.p4.pkl"))));
  const str = freshStrings(users.flatMap((u) => [u.name, u.address.street, u.address.city, u.address.zip]));
  const MakeUser = function (this: object) {} as unknown as new () => User;
  MakeUser.prototype = User.prototype;
  const MakeAddress = function (this: object) {} as unknown as new () => Address;
  MakeAddress.prototype = Address.prototype;
  return () => {
    const out: User[] = [];
    for (let i = 0; i < users.length; i++) {
      const from = users[i]!;
      const user = new MakeUser();
      user.name = str(4 * i);
      user.age = from.age;
      user.score = from.score;
      user.active = from.active;
      user.tags = from.tags.slice();
      const t = from.created;
      user.created = new PyDateTime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond);
      user.parentId = from.parentId;
      const address = new MakeAddress();
      address.street = str(4 * i + 1);
      address.city = str(4 * i + 2);
      address.zip = str(4 * i + 3);
      user.address = address;
      out.push(user);
    }
    return out;
  };
}

/**
 * The deep value rebuilt the same way, as bench/workloads.py's deep() makes it: a spine of 470 dicts
 * ({level, data, items, next}, every other `next` a one-item list) with `leafy` dicts on it, and the
 * `extra` list of leafy(8) dicts. Keys of the spine are shared (the pickle's BINGETs); `k0`… and
 * `v0`… are new strs, as the pickle writes them anew; floats new numbers.
 */
function deepGraph(dataDir: string): () => unknown {
  const root = pickled<Map<string, unknown>>(dataDir, "deep");
  const extras = (root.get("extra") as unknown[]).length;
  let depth = 1;
  for (let node = root; node.has("next"); depth++) {
    const next = node.get("next");
    node = (Array.isArray(next) ? next[0] : next) as Map<string, unknown>;
  }
  const names = Array.from({ length: 8 }, (_, j) => [`k${j}`, `v${j}`]).flat();
  const str = freshStrings(names);
  const halves = Float64Array.from({ length: 8 }, (_, j) => j * 0.5);
  const leafy = (k: number) => {
    const m = new Map<string, unknown>();
    for (let j = 0; j < k; j++) m.set(str(2 * j), [SMALL_BIGINTS[j], str(2 * j + 1), halves[j]]);
    return m;
  };
  return () => {
    const top = new Map<string, unknown>();
    top.set("level", SMALL_BIGINTS[0]);
    top.set("data", leafy(4));
    let node = top;
    for (let level = 1; level < depth; level++) {
      const child = new Map<string, unknown>();
      child.set("level", bigintOf(level));
      child.set("data", leafy(4));
      child.set("items", [leafy(2), [bigintOf(level), bigintOf(level + 1)]]);
      node.set("next", level % 2 ? [child] : child);
      node = child;
    }
    const extra: unknown[] = [];
    for (let i = 0; i < extras; i++) extra.push(leafy(8));
    top.set("extra", extra);
    return top;
  };
}

/** Per opcode byte: the size of its fixed argument, or of its length prefix negated (from the runtime's read plans); undefined: a line argument. */
const ARG_BYTES: (number | undefined)[] = Array.from({ length: 256 }, (_, code) => {
  const plan = PLAN_BY_CODE[code];
  if (plan === undefined || plan.kind === "lines") return undefined;
  return plan.kind === "fixed" ? plan.size : -plan.lengthBytes;
});

/**
 * Walks a binary pickle's opcodes and skips their arguments, making nothing: the least any reader
 * does per opcode (one load, one table lookup, one branch). Returns the opcode count.
 */
function walkOpcodes(data: Uint8Array): () => number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const args = Int32Array.from(ARG_BYTES, (n) => n ?? 0x7fffffff);
  return () => {
    let count = 0;
    for (let pos = 0; pos < data.length; count++) {
      const n = args[data[pos++]!]!;
      if (n >= 0) {
        if (n === 0x7fffffff) throw new Error("a text opcode: walkOpcodes reads binary pickles only");
        pos += n;
      } else if (n === -1) pos += 1 + data[pos]!;
      else if (n === -4) pos += 4 + view.getUint32(pos, true);
      else pos += 8 + Number(view.getBigUint64(pos, true));
    }
    return count;
  };
}

const DEEP_CONTAINERS = 32_770; // bench/workloads.py's deep: 4,450 dicts and 28,320 lists
const CHAINS = Math.round(DEEP_CONTAINERS / 477);

export const FLOOR_CASES: FloorCase[] = [
  {
    name: "bigint-from-number",
    what: "1M `BigInt(n)`, |n| < 2^31, into an array",
    items: M,
    floorFor: { workload: "ints", op: "decode", count: M, note: "1M ints, each a bigint in the lossless model" },
    setup: () => {
      const xs = smallInts(M);
      return () => {
        const out: bigint[] = [];
        for (let i = 0; i < xs.length; i++) out.push(BigInt(xs[i]!));
        return out;
      };
    },
    python: { setup: "", stmt: "list(range(2**40, 2**40 + 1_000_000))", note: "1M fresh int objects: PyLong_FromLong, as BININT" },
  },
  {
    name: "number-from-int32",
    what: "1M `getInt32` (LE) into an array of numbers",
    items: M,
    floorFor: { workload: "ints", op: "decode", count: M, note: "1M ints as numbers (plain mode, or a small-int model)" },
    setup: () => {
      const view = words(M, 4);
      return () => {
        const out: number[] = [];
        for (let o = 0; o < view.byteLength; o += 4) out.push(view.getInt32(o, true));
        return out;
      };
    },
    python: { setup: "buf = bytes((i * 131 + 7) & 0xff for i in range(4_000_000))", stmt: "memoryview(buf).cast('i').tolist()", note: "1M ints from 4-byte words" },
  },
  {
    name: "bigint-int64",
    what: "1M `DataView.getBigInt64` (LE, 8 bytes) into an array",
    items: M,
    floorFor: { workload: "ints", op: "decode", count: 333_000, note: "~⅓ of the ints are LONG1 of 5–8 bytes" },
    setup: () => {
      const view = words(M, 8);
      return () => {
        const out: bigint[] = [];
        for (let o = 0; o < view.byteLength; o += 8) out.push(view.getBigInt64(o, true));
        return out;
      };
    },
    python: { setup: "buf = bytes((i * 131 + 7) & 0xff for i in range(8_000_000))", stmt: "memoryview(buf).cast('q').tolist()", note: "1M ints from 8-byte words" },
  },
  {
    name: "bigint-long1-9",
    what: "1M 9-byte LONG1 payloads → bigint (`getBigUint64` | `BigInt(getInt8) << 64n`)",
    items: M,
    floorFor: { workload: "ints", op: "decode", count: 100, note: "1 int in 10,000 is beyond 2^64" },
    setup: () => {
      const view = words(M, 9);
      return () => {
        const out: bigint[] = [];
        for (let o = 0; o < view.byteLength; o += 9) out.push((BigInt(view.getInt8(o + 8)) << 64n) | view.getBigUint64(o, true));
        return out;
      };
    },
    python: {
      setup: "buf = bytes((i * 131 + 7) & 0xff for i in range(9_000_000)); from_bytes = int.from_bytes",
      stmt: "[from_bytes(buf[i:i + 9], 'little', signed=True) for i in range(0, 9_000_000, 9)]",
      note: "an interpreted loop: an upper bound of CPython's C cost",
    },
  },
  {
    name: "map-8",
    what: "1M `new Map()` + 8 `set`s (string keys)",
    items: M,
    floorFor: { workload: "records-dicts", op: "decode", note: "per dict (1M of them: more GC than the workload's 20k)" },
    setup: () => () => {
      const out: Map<string, number>[] = [];
      for (let i = 0; i < M; i++) {
        const m = new Map<string, number>();
        for (let k = 0; k < 8; k++) m.set(RECORD_KEYS[k]!, i);
        out.push(m);
      }
      return out;
    },
    python: {
      setup: "",
      stmt: "[{'name': i, 'age': i, 'score': i, 'active': i, 'tags': i, 'created': i, 'parent_id': i, 'address': i} for i in range(1_000_000)]",
      note: "1M dict displays in a comprehension",
    },
  },
  {
    name: "object-literal-8",
    what: "1M object literals of 8 properties (one shape known to the compiler)",
    items: M,
    floorFor: { workload: "records-dicts", op: "decode", note: "plain mode's objects, best case" },
    setup: () => () => {
      const out: object[] = [];
      for (let i = 0; i < M; i++) out.push({ name: i, age: i, score: i, active: i, tags: i, created: i, parent_id: i, address: i });
      return out;
    },
  },
  {
    name: "object-keyed-8",
    what: "1M `{}` + 8 assignments `o[key] = v` (keys from an array, as a reader gets them)",
    items: M,
    floorFor: { workload: "records-dicts", op: "decode", note: "plain mode's objects, keys known only at run time" },
    setup: () => () => {
      const out: Record<string, number>[] = [];
      for (let i = 0; i < M; i++) {
        const o: Record<string, number> = {};
        for (let k = 0; k < 8; k++) o[RECORD_KEYS[k]!] = i;
        out.push(o);
      }
      return out;
    },
  },
  {
    name: "records-dicts-maps",
    what: "the records-dicts value's containers alone: 10k × (Map of 8 + Map of 3 + tags array), values premade",
    items: 30_000,
    floorFor: { workload: "records-dicts", op: "decode", count: 30_000, note: "its 30k containers (lossless model)" },
    setup: () =>
      recordContainers((keys, values) => {
        const m = new Map<string, unknown>();
        for (let k = 0; k < keys.length; k++) m.set(keys[k]!, values[k]);
        return m;
      }),
    python: {
      setup: RECORDS_PY_SETUP,
      stmt: "[{'name': n, 'age': 1, 'score': 2.5, 'active': True, 'tags': list(tags), 'created': None, 'parent_id': None, 'address': {'street': n, 'city': n, 'zip': n}} for n in names]",
      note: "the same 30k containers, a comprehension",
    },
  },
  {
    name: "records-dicts-objects",
    what: "the same 30k containers as objects built key by key (`o[key] = v`)",
    items: 30_000,
    floorFor: { workload: "records-dicts", op: "decode", count: 30_000, note: "its 30k containers (plain mode)" },
    setup: () =>
      recordContainers((keys, values) => {
        const o: Record<string, unknown> = {};
        for (let k = 0; k < keys.length; k++) o[keys[k]!] = values[k];
        return o;
      }),
  },
  {
    name: "utf8-decode-textdecoder",
    what: "200k UTF-8 decodes of 1–200-char strs, `TextDecoder` (fatal) per str",
    items: 200_000,
    floorFor: STRINGS_DECODE,
    setup: (dataDir) => {
      const { buffer, offsets } = stringsData(dataDir);
      const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
      return () => {
        const out: string[] = [];
        for (let i = 0; i + 1 < offsets.length; i++) out.push(decoder.decode(buffer.subarray(offsets[i]!, offsets[i + 1]!)));
        return out;
      };
    },
    python: { setup: STRINGS_PY_SETUP, stmt: "list(map(bytes.decode, items))", note: "200k `bytes.decode`: PyUnicode_DecodeUTF8" },
  },
  {
    name: "utf8-decode-loop",
    what: "the same 200k decodes, a JS loop (no validation) + `String.fromCharCode.apply`",
    items: 200_000,
    floorFor: STRINGS_DECODE,
    setup: (dataDir) => {
      const { buffer, offsets } = stringsData(dataDir);
      return () => {
        const out: string[] = [];
        for (let i = 0; i + 1 < offsets.length; i++) out.push(decodeUtf8Loop(buffer, offsets[i]!, offsets[i + 1]!));
        return out;
      };
    },
  },
  {
    name: "utf8-decode-buffer",
    what: "the same 200k decodes, `Buffer#utf8Slice` + the U+FFFD check (runtime/utf8.ts's way)",
    items: 200_000,
    floorFor: STRINGS_DECODE,
    setup: (dataDir) => {
      const { buffer, offsets } = stringsData(dataDir);
      const b = buffer as unknown as BufferInternals;
      return () => {
        const out: string[] = [];
        for (let i = 0; i + 1 < offsets.length; i++) {
          const s = b.utf8Slice(offsets[i]!, offsets[i + 1]!);
          if (s.indexOf("\ufffd") !== -1) throw new Error("not UTF-8");
          out.push(s);
        }
        return out;
      };
    },
  },
  {
    name: "latin1-decode-buffer",
    what: "the same 200k slices, `Buffer#latin1Slice` (right only for ASCII: ~90% of them)",
    items: 200_000,
    floorFor: STRINGS_DECODE,
    setup: (dataDir) => {
      const { buffer, offsets } = stringsData(dataDir);
      const b = buffer as unknown as BufferInternals;
      return () => {
        const out: string[] = [];
        for (let i = 0; i + 1 < offsets.length; i++) out.push(b.latin1Slice(offsets[i]!, offsets[i + 1]!));
        return out;
      };
    },
  },
  {
    name: "utf8-encode-encodeinto",
    what: "200k UTF-8 encodes of the same strs into one buffer, `TextEncoder.encodeInto`",
    items: 200_000,
    floorFor: STRINGS_ENCODE,
    setup: (dataDir) => {
      const { strings, out } = stringsData(dataDir);
      const encoder = new TextEncoder();
      return () => {
        let at = 0;
        for (const s of strings) at += encoder.encodeInto(s, out.subarray(at)).written;
        return at;
      };
    },
    python: { setup: STRINGS_PY_SETUP, stmt: "list(map(str.encode, strings))", note: "200k `str.encode`, new bytes each" },
  },
  {
    name: "utf8-encode-loop",
    what: "the same 200k encodes, a JS `charCodeAt` loop",
    items: 200_000,
    floorFor: STRINGS_ENCODE,
    setup: (dataDir) => {
      const { strings, out } = stringsData(dataDir);
      return () => {
        let at = 0;
        for (const s of strings) at = encodeUtf8Loop(s, out, at);
        return at;
      };
    },
  },
  {
    name: "utf8-encode-buffer",
    what: "the same 200k encodes, `Buffer#utf8Write`",
    items: 200_000,
    floorFor: STRINGS_ENCODE,
    setup: (dataDir) => {
      const { strings, out } = stringsData(dataDir);
      const b = out as unknown as BufferInternals;
      return () => {
        let at = 0;
        for (const s of strings) at += b.utf8Write(s, at);
        return at;
      };
    },
  },
  {
    name: "float64-read",
    what: "1M `DataView.getFloat64` (big-endian, as BINFLOAT) into an array",
    items: M,
    floorFor: { workload: "floats", op: "decode", count: M, note: "1M BINFLOATs" },
    setup: (dataDir) => {
      const floats = pickled<number[]>(dataDir, "floats");
      const view = new DataView(new ArrayBuffer(floats.length * 8));
      for (const [i, f] of floats.entries()) view.setFloat64(i * 8, f, false);
      return () => {
        const out: number[] = [];
        for (let o = 0; o < view.byteLength; o += 8) out.push(view.getFloat64(o, false));
        return out;
      };
    },
    python: {
      setup: "import pickle, struct; floats = pickle.load(open(DATA + '/floats.p4.pkl', 'rb')); buf = struct.pack(f'>{len(floats)}d', *floats); fmt = f'>{len(floats)}d'",
      stmt: "struct.unpack(fmt, buf)",
      note: "1M float objects from big-endian doubles",
    },
  },
  {
    name: "float64-write",
    what: "1M `DataView.setFloat64` (big-endian) from an array",
    items: M,
    floorFor: { workload: "floats", op: "encode", count: M, note: "1M BINFLOATs" },
    setup: (dataDir) => {
      const floats = pickled<number[]>(dataDir, "floats");
      const view = new DataView(new ArrayBuffer(floats.length * 8));
      return () => {
        for (let i = 0; i < floats.length; i++) view.setFloat64(i * 8, floats[i]!, false);
        return view;
      };
    },
    python: {
      setup: "import pickle, struct; floats = pickle.load(open(DATA + '/floats.p4.pkl', 'rb')); fmt = f'>{len(floats)}d'",
      stmt: "struct.pack(fmt, *floats)",
      note: "1M doubles packed big-endian",
    },
  },
  {
    name: "copy-64MiB-set",
    what: "copy 64 MiB into an existing buffer (`Uint8Array#set`)",
    items: 1,
    floorFor: { workload: "blob", op: "encode", count: 1, note: "16 × 4 MiB written into the output" },
    setup: () => {
      const source = new Uint8Array(64 << 20).map((_, i) => i & 0xff);
      const target = new Uint8Array(64 << 20);
      return () => {
        target.set(source);
        return target;
      };
    },
    python: {
      setup: "src = bytes(range(256)) * (1 << 18); dst = bytearray(len(src)); view = memoryview(dst)",
      stmt: "view.__setitem__(slice(None), src)",
      note: "64 MiB into an existing bytearray",
    },
  },
  {
    name: "join-16x4MiB",
    what: "join 16 × 4 MiB into one new buffer (dumps' result(): one allocation, 16 copies)",
    items: 1,
    floorFor: { workload: "blob", op: "encode", count: 1, note: "the output, a new 64 MiB buffer each call" },
    setup: () => {
      const parts = Array.from({ length: 16 }, (_, k) => new Uint8Array(4 << 20).map((_, i) => (i + k) & 0xff));
      return () => concatBytes(parts);
    },
    python: {
      setup: "parts = [bytes([k]) * (4 << 20) for k in range(16)]",
      stmt: "b''.join(parts)",
      note: "16 × 4 MiB joined into a new bytes",
    },
  },
  {
    name: "copy-16x4MiB-slice",
    what: "copy 16 × 4 MiB out of one buffer into 16 new ones (`Uint8Array#slice`: allocation + copy, as the decode makes its bytes)",
    items: 1,
    floorFor: { workload: "blob", op: "decode", count: 1, note: "16 × 4 MiB copied out of the pickle" },
    setup: () => {
      const source = new Uint8Array(64 << 20).map((_, i) => i & 0xff);
      return () => Array.from({ length: 16 }, (_, k) => source.slice(k << 22, (k + 1) << 22));
    },
    python: {
      setup: "src = bytes(range(256)) * (1 << 18); view = memoryview(src)",
      stmt: "[bytes(view[k << 22:(k + 1) << 22]) for k in range(16)]",
      note: "16 new 4 MiB bytes",
    },
  },
  {
    name: "bytes-500k",
    what: "500k `new Uint8Array(4)`, each its own bytes (as each `dumps` returns)",
    items: 500_000,
    floorFor: { workload: "tiny-pickles", op: "encode", count: 500_000, note: "500k pickles, one `dumps` each" },
    setup: () => () => {
      const out: Uint8Array[] = [];
      for (let i = 0; i < 500_000; i++) out.push(new Uint8Array(4));
      return out;
    },
    python: { setup: "from itertools import repeat", stmt: "list(map(bytes, repeat(4, 500_000)))", note: "500k 4-byte bytes objects" },
  },
  {
    name: "nested-477",
    what: `${CHAINS} chains of 477 nested containers (Map {next} and [node] alternating) = ${CHAINS * 477} containers`,
    items: CHAINS * 477,
    floorFor: { workload: "deep", op: "decode", count: DEEP_CONTAINERS, note: "4,450 dicts + 28,320 lists" },
    setup: () => () => {
      const out: unknown[] = [];
      for (let c = 0; c < CHAINS; c++) {
        let node: unknown = null;
        for (let level = 0; level < 477; level++) {
          if (level % 2) node = [node];
          else {
            const m = new Map<string, unknown>();
            m.set("next", node);
            node = m;
          }
        }
        out.push(node);
      }
      return out;
    },
    python: {
      setup: `def chains():\n    out = []\n    for _ in range(${CHAINS}):\n        node = None\n        for level in range(477):\n            node = [node] if level % 2 else {'next': node}\n        out.append(node)\n    return out`,
      stmt: "chains()",
      note: "an interpreted loop: an upper bound of CPython's C cost",
    },
  },
  {
    name: "records-dicts-graph",
    what: "the records-dicts value's own objects alone (30k containers, 40k new strs, 10k floats and datetimes; primitives premade)",
    items: 10_000,
    floorFor: { workload: "records-dicts", op: "decode", count: 10_000, note: "its whole value, lossless model: no parsing" },
    setup: recordsDictsGraph,
  },
  {
    name: "records-typed-graph",
    what: "the typed records' own objects alone (10k Users and Addresses, 40k new strs, 10k datetimes and tags arrays; numbers premade)",
    items: 10_000,
    floorFor: { workload: "records", op: "decode", count: 10_000, note: "its whole value, as the generated codec makes it: no parsing" },
    setup: recordsTypedGraph,
  },
  {
    name: "deep-graph",
    what: "the deep value's own objects alone (4,450 dicts, 28,320 lists, 54k new strs, 27k floats; primitives premade)",
    items: 1,
    floorFor: { workload: "deep", op: "decode", count: 1, note: "its whole value, lossless model: no parsing" },
    setup: deepGraph,
  },
  {
    name: "records-dicts-walk",
    what: "walking the records-dicts pickle's 440k opcodes, arguments skipped, nothing made",
    items: 1,
    floorFor: { workload: "records-dicts", op: "decode", count: 1, note: "the least parsing any reader does" },
    setup: (dataDir) => walkOpcodes(new Uint8Array(readFileSync(join(dataDir, "records-dicts.p4.pkl")))),
  },
  {
    name: "deep-walk",
    what: "walking the deep pickle's 297k opcodes, arguments skipped, nothing made",
    items: 1,
    floorFor: { workload: "deep", op: "decode", count: 1, note: "the least parsing any reader does" },
    setup: (dataDir) => walkOpcodes(new Uint8Array(readFileSync(join(dataDir, "deep.p4.pkl")))),
  },
];
