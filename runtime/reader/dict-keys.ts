// Inserting into a dict or set with Python's key equality. A JavaScript Map compares keys with
// SameValueZero: 1n and 1.0 and true are three keys there but one in Python, and two equal tuples
// are two keys there. Non-string keys therefore go through a canonical id, hash-consed so that a
// tuple key costs O(its length) even when its items are a deep DAG of shared tuples.
//
// Every key costs O(its size) once per object, not once per insertion: a value's id is cached by
// object identity (a 100 KB bytes key reused through the memo 20,000 times is read once), a str by
// the string itself (V8 keeps a string's hash), and a big int by its remainder modulo a number
// drawn at random per process (see bigIntId).
import { PyFrozenSet, PyTuple, isHashable } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo, type PyTzinfo } from "../model/datetime.ts";
import { PyGlobal } from "../model/objects.ts";
import { latin1Decode } from "../latin1.ts";
import { PyComplex, PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { isPlainDict } from "../model/plain-dict.ts";

export class KeyError extends Error {}

/** Ints whose id is looked up by their number value (beyond them, see bigIntId). */
const SAFE = 2 ** 53;

/**
 * An odd number in [2^51, 2^52), drawn per process. A big int's remainder modulo it reads every
 * digit in linear time (V8's own BigInt hash reads the lowest digit only, so ints alike there would
 * all collide in a Map; and toString is slow), and a pickle cannot aim at a modulus it cannot see.
 */
function bigIntModulus(): bigint {
  // Drawn at first use, not at load: WebCrypto costs the CLI's start-up ~5 ms, and most pickles
  // have no big int keys.
  if (bigModulus === undefined) {
    const [hi, lo] = globalThis.crypto.getRandomValues(new Uint32Array(2));
    bigModulus = (1n << 51n) | (BigInt(hi! & 0x7ffff) << 32n) | BigInt(lo! | 1);
  }
  return bigModulus;
}
let bigModulus: bigint | undefined;

/** About how many bytes a big int holds: exact to 1024 bits, then in steps of 1024 bits. */
function bigIntBytes(v: bigint): number {
  let bits = 0;
  let rest = v < 0n ? -v : v;
  while (!Number.isFinite(Number(rest))) {
    rest >>= 1024n;
    bits += 1024;
  }
  return (bits + Math.ceil(Math.log2(Number(rest) + 1))) / 8;
}

/** Canonical ids of hashable values for one load: equal in Python ⇔ same id. */
export class KeyCanon {
  private nextId = 0;
  /** Ints (and integral floats, and bools) within ±2^53, by value. */
  private readonly smallInts = new Map<number, number>();
  /** Other floats, by value (NaN never gets here: each NaN is its own key). */
  private readonly floats = new Map<number, number>();
  /** str, by the string (inside tuples and frozensets; a str key itself needs no id). */
  private readonly strings = new Map<string, number>();
  /** Ints beyond ±2^53, by their remainder (see bigIntModulus): [int, id, int, id, …] per remainder. */
  private readonly bigInts = new Map<number, (bigint | number)[]>();
  /** The same, by a sketch of both ends: [int, id, …], at most four per sketch (see bigIntId). */
  private readonly bigIntsBySketch = new Map<string, (bigint | number)[]>();
  /** Everything else, by a canonical text form made once per object. */
  private readonly forms = new Map<string, number>();
  /** Objects whose id is known: tuples, frozensets, bytes, and every other object key. */
  private readonly objectIds = new WeakMap<object, number>();
  private readonly indexes = new WeakMap<object, Map<number, PyValue>>();

  /** `charge` is told what the key indexes cost (the reader counts it against its allocation budget). */
  constructor(private readonly charge: (bytes: number) => void = () => {}) {}

  /** dict[key] = value, keeping the first key object when an equal key is already there. */
  dictSet(dict: Map<PyValue, PyValue>, key: PyValue, value: PyValue): void {
    if (typeof key === "string") {
      dict.set(key, value);
      return;
    }
    if (typeof key === "number" && PyFloat.needsBox(key)) key = new PyFloat(key);
    const existing = this.findEqual(dict, key, dict.size);
    dict.set(existing === NOT_FOUND ? key : existing, value);
  }

  /** set.add(item), with the same equality. */
  setAdd(set: Set<PyValue>, item: PyValue): void {
    if (typeof item === "string") {
      set.add(item);
      return;
    }
    if (typeof item === "number" && PyFloat.needsBox(item)) item = new PyFloat(item);
    if (this.findEqual(set, item, set.size) === NOT_FOUND) set.add(item);
  }

  private findEqual(container: Map<PyValue, PyValue> | Set<PyValue>, key: PyValue, size: number): PyValue | typeof NOT_FOUND {
    if (!isHashable(key)) throw new KeyError(`unhashable type: '${typeName(key)}'`);
    let index = this.indexes.get(container);
    if (index === undefined) {
      index = new Map();
      this.indexes.set(container, index);
      this.charge(INDEX_COST + INDEX_ENTRY_COST * size);
      if (size > 0) for (const k of container.keys()) if (typeof k !== "string") index.set(this.idOf(k), k);
    }
    const id = this.idOf(key);
    const found = index.get(id);
    if (found !== undefined || index.has(id)) return found as PyValue;
    index.set(id, key);
    this.charge(INDEX_ENTRY_COST);
    return NOT_FOUND;
  }

  /** The canonical id of a hashable value. Iterative, so a deeply nested key cannot overflow. */
  idOf(root: PyValue): number {
    const direct = this.leafId(root);
    if (direct >= 0) return direct;
    // Post-order walk over tuples and frozensets whose items are not yet canonical.
    const pending: object[] = [root as object];
    while (pending.length > 0) {
      const node = pending[pending.length - 1]!;
      if (this.objectIds.has(node)) {
        pending.pop();
        continue;
      }
      const items = node instanceof PyTuple ? node.items : [...(node as Set<PyValue>)];
      let ready = true;
      for (const item of items) {
        if (isComposite(item) && !this.objectIds.has(item)) {
          pending.push(item);
          ready = false;
        }
      }
      if (!ready) continue;
      pending.pop();
      const parts = items.map((item) => this.leafId(item));
      const form = node instanceof PyTuple ? `t(${parts.join(",")})` : `F{${parts.sort((a, b) => a - b).join(",")}}`;
      this.objectIds.set(node, this.formId(form));
    }
    return this.objectIds.get(root as object)!;
  }

  /** The id of a value, or -1 for a tuple or frozenset not yet canonical (idOf walks those). */
  private leafId(v: PyValue): number {
    switch (typeof v) {
      case "string":
        return idIn(this.strings, v, this);
      case "boolean":
        return idIn(this.smallInts, v ? 1 : 0, this);
      case "bigint":
        return v > -SAFE && v < SAFE ? idIn(this.smallInts, Number(v), this) : this.bigIntId(v);
      case "number":
        return this.numberId(v);
    }
    if (v === null) return this.formId("N");
    // Small bytes: their form costs less than a WeakMap entry (big ones are cached below).
    if (v instanceof Uint8Array && v.length < CACHED_BYTES) return this.formId(bytesForm(v));
    const cached = this.objectIds.get(v);
    if (cached !== undefined) return cached;
    if (isComposite(v)) return -1;
    const id = this.objectLeafId(v);
    this.objectIds.set(v, id);
    return id;
  }

  private numberId(v: number): number {
    // Each NaN is its own key (Python compares NaN by identity; a plain number has none).
    if (Number.isNaN(v)) return this.nextId++;
    if (Number.isInteger(v)) return v > -SAFE && v < SAFE ? idIn(this.smallInts, v, this) : this.bigIntId(BigInt(v));
    return idIn(this.floats, v, this);
  }

  /**
   * A big int's id. Its remainder (below) reads every digit, ~5 ns a byte; the same int met again
   * (a memoised key reused) is found first by a sketch of its two ends (O(1)) and ===, for up to
   * four ints per sketch.
   */
  private bigIntId(v: bigint): number {
    const sketch = `${Number(v)}:${BigInt.asUintN(64, v)}`;
    let seen = this.bigIntsBySketch.get(sketch);
    if (seen !== undefined) for (let i = 0; i < seen.length; i += 2) if (seen[i] === v) return seen[i + 1] as number;
    const id = this.bigIntIdByRemainder(v);
    if (seen === undefined) this.bigIntsBySketch.set(sketch, (seen = []));
    if (seen.length < 8) seen.push(v, id);
    return id;
  }

  private bigIntIdByRemainder(v: bigint): number {
    // The remainder reads every digit: charged as that many bytes, so a few big ints reused through
    // the memo (CPython never memoizes ints) cannot make each 2-byte BINGET cost a 1,780-byte division.
    this.charge(bigIntBytes(v));
    const remainder = Number(v % bigIntModulus());
    let bucket = this.bigInts.get(remainder);
    if (bucket === undefined) this.bigInts.set(remainder, (bucket = []));
    for (let i = 0; i < bucket.length; i += 2) if (bucket[i] === v) return bucket[i + 1] as number;
    const id = this.nextId++;
    bucket.push(v, id);
    return id;
  }

  /** An object that is not a tuple or frozenset: its id, computed once per object. */
  private objectLeafId(v: object): number {
    if (v instanceof Uint8Array) return this.formId(bytesForm(v));
    if (v instanceof PyFloat) return Number.isNaN(v.value) ? this.nextId++ : this.numberId(v.value);
    if (v instanceof PyComplex) return v.imag === 0 ? this.numberId(v.real) : this.formId(`c${v.real},${v.imag}`);
    if (v instanceof PyGlobal) return this.formId("g" + v.qualifiedName);
    if (v instanceof PyDecimal) return this.formId("d" + v.text);
    if (v instanceof PyUUID) return this.formId("u" + v.int.toString(16));
    if (v instanceof PyTimeDelta) return this.formId("td" + v.totalMicroseconds());
    if (v instanceof PyTimezone) return this.formId("tz" + v.offset.totalMicroseconds()); // the name does not count
    if (v instanceof PyZoneInfo) return this.formId("zi" + v.key); // one object per key in Python
    if (v instanceof PyDate) return this.formId(`D${v.year},${v.month},${v.day}`);
    if (v instanceof PyDateTime) return this.formId(this.dateTimeForm(v));
    if (v instanceof PyTime) return this.formId(this.timeForm(v));
    return this.nextId++; // anything else is equal only to itself
  }

  /**
   * Python's datetime equality: naive ones by their fields (fold ignored); aware ones with a fixed
   * offset by the instant. Other tzinfos (a ZoneInfo needs the zone database) compare by their
   * fields when the tzinfo is the same zone, and are kept apart from every other zone.
   */
  private dateTimeForm(v: PyDateTime): string {
    const local = BigInt(daysFromEpoch(v.year, v.month, v.day)) * 86_400_000_000n + timeOfDayMicros(v);
    if (v.tzinfo === null) return `DT${local}`;
    if (v.tzinfo instanceof PyTimezone) return `DTA${local - v.tzinfo.offset.totalMicroseconds()}`;
    return `DTZ${this.tzinfoTag(v.tzinfo)}:${local}`;
  }

  private timeForm(v: PyTime): string {
    const local = timeOfDayMicros(v);
    if (v.tzinfo === null) return `T${local}`;
    if (v.tzinfo instanceof PyTimezone) return `TA${local - v.tzinfo.offset.totalMicroseconds()}`;
    return `TZ${this.tzinfoTag(v.tzinfo)}:${local}`;
  }

  private tzinfoTag(tz: PyTzinfo): string {
    return tz instanceof PyZoneInfo ? "k" + tz.key : "o" + this.leafId(tz);
  }

  /** @internal */
  newId(): number {
    return this.nextId++;
  }

  private formId(form: string): number {
    return idIn(this.forms, form, this);
  }
}

/** Bytes from this long on have their id cached per object. */
const CACHED_BYTES = 256;

function bytesForm(v: Uint8Array): string {
  return "b" + latin1Decode(v);
}

function idIn<K>(ids: Map<K, number>, key: K, canon: KeyCanon): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = canon.newId();
    ids.set(key, id);
  }
  return id;
}

function isComposite(v: PyValue): v is PyTuple | PyFrozenSet {
  return v instanceof PyTuple || v instanceof PyFrozenSet;
}

function timeOfDayMicros(v: { hour: number; minute: number; second: number; microsecond: number }): bigint {
  return BigInt(((v.hour * 60 + v.minute) * 60 + v.second) * 1_000_000 + v.microsecond);
}

/** Days from 1970-01-01 to a date (proleptic Gregorian, years 1–9999 as Python has them). */
function daysFromEpoch(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC, which reads years 0–99 as 1900–1999
  return date.getTime() / 86_400_000;
}

const NOT_FOUND = Symbol("not found");
/** A container's key index (a Map and its WeakMap entry) and one entry of it, in V8's heap. */
const INDEX_COST = 256;
const INDEX_ENTRY_COST = 48;

/** Python's type name of a value, for messages. */
export function typeName(v: PyValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "NoneType";
  switch (typeof v) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "string":
      return "str";
  }
  if (Array.isArray(v)) return "list";
  if (v instanceof PyTuple) return "tuple";
  if (v instanceof PyFrozenSet) return "frozenset";
  if (v instanceof Set) return "set";
  if (v instanceof Map) return v.constructor === Map ? "dict" : "collections.OrderedDict";
  if (v instanceof Uint8Array) return v.constructor.name === "PyBytearray" ? "bytearray" : "bytes";
  if (v instanceof PyGlobal) return "type";
  if (isPlainDict(v)) return "dict";
  const name = v.constructor.name;
  const known: Record<string, string> = {
    PyDateTime: "datetime.datetime",
    PyDate: "datetime.date",
    PyTime: "datetime.time",
    PyTimeDelta: "datetime.timedelta",
    PyTimezone: "datetime.timezone",
    PyZoneInfo: "zoneinfo.ZoneInfo",
    PyDecimal: "decimal.Decimal",
    PyUUID: "uuid.UUID",
    PyComplex: "complex",
    PyFloat: "float",
    PickleBuffer: "pickle.PickleBuffer",
  };
  if (known[name]) return known[name];
  if ("className" in v) return String((v as { className: string }).className);
  return name;
}
