// Inserting into a dict or set with Python's key equality. A JavaScript Map compares keys with
// SameValueZero: 1n and 1.0 and true are three keys there but one in Python, and two equal tuples
// are two keys there. Non-string keys therefore go through a canonical form, hash-consed so that
// a tuple key costs O(its length) even when its items are a deep DAG of shared tuples.
import { PyFrozenSet, PyTuple, isHashable } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PyGlobal } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";

export class KeyError extends Error {}

/** Canonical ids of hashable values for one load: equal in Python ⇔ same id. */
export class KeyCanon {
  private readonly ids = new Map<string, number>();
  private readonly objectIds = new WeakMap<object, number>();
  private readonly indexes = new WeakMap<object, Map<number, PyValue>>();
  private nanCount = 0;

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
      if (size > 0) for (const k of container.keys()) if (typeof k !== "string") index.set(this.idOf(k), k);
    }
    const id = this.idOf(key);
    const found = index.get(id);
    if (found !== undefined || index.has(id)) return found as PyValue;
    index.set(id, key);
    return NOT_FOUND;
  }

  /** The canonical id of a hashable value. Iterative, so a deeply nested key cannot overflow. */
  idOf(root: PyValue): number {
    const direct = this.leafForm(root);
    if (direct !== undefined) return this.intern(direct);
    const cached = this.objectIds.get(root as object);
    if (cached !== undefined) return cached;
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
        if (this.leafForm(item) === undefined && !this.objectIds.has(item as object)) {
          pending.push(item as object);
          ready = false;
        }
      }
      if (!ready) continue;
      pending.pop();
      const parts = items.map((item) => {
        const leaf = this.leafForm(item);
        return leaf !== undefined ? this.intern(leaf) : this.objectIds.get(item as object)!;
      });
      const form = node instanceof PyTuple ? `t(${parts.join(",")})` : `F{${parts.sort((a, b) => a - b).join(",")}}`;
      this.objectIds.set(node, this.intern(form));
    }
    return this.objectIds.get(root as object)!;
  }

  /** A canonical string for anything that is not a tuple or frozenset; undefined for those two. */
  private leafForm(v: PyValue): string | undefined {
    switch (typeof v) {
      case "string":
        return "s" + v;
      case "boolean":
        return v ? "i1" : "i0";
      case "bigint":
        return "i" + v;
      case "number":
        if (Number.isNaN(v)) return "nan" + this.nanCount++;
        if (Number.isInteger(v)) return "i" + BigInt(v);
        return "f" + v;
    }
    if (v === null) return "N";
    if (v instanceof PyTuple || v instanceof PyFrozenSet) return undefined;
    if (v instanceof Uint8Array) return "b" + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("hex");
    if (v instanceof PyFloat) return Number.isNaN(v.value) ? "o" + this.identity(v) : this.leafForm(v.value);
    if (v instanceof PyComplex) return v.imag === 0 ? this.leafForm(v.real) : `c${v.real},${v.imag}`;
    if (v instanceof PyGlobal) return "g" + v.qualifiedName;
    if (v instanceof PyDecimal) return "d" + v.text;
    if (v instanceof PyUUID) return "u" + v.int;
    if (v instanceof PyTimeDelta) return "td" + v.totalMicroseconds();
    if (v instanceof PyDate || v instanceof PyDateTime || v instanceof PyTime || v instanceof PyTimezone || v instanceof PyZoneInfo) {
      // Field-wise equality. (Python compares aware datetimes by instant; such keys are kept apart here.)
      return "dt" + v.constructor.name + JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));
    }
    return "o" + this.identity(v as object);
  }

  private identity(obj: object): number {
    let id = this.objectIds.get(obj);
    if (id === undefined) {
      id = this.intern(`#${this.ids.size}`);
      this.objectIds.set(obj, id);
    }
    return id;
  }

  private intern(form: string): number {
    let id = this.ids.get(form);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(form, id);
    }
    return id;
  }
}

const NOT_FOUND = Symbol("not found");

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
  if (known[name]) return known[name]!;
  if ("className" in v) return String((v as { className: string }).className);
  return name;
}
