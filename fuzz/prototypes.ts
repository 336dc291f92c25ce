// The prototype check: own property names (and values) of the built-in prototypes and of the
// runtime's classes, snapshotted once and compared after every entry point. A pickle must never be
// able to add, remove or replace anything on them.
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../runtime/model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../runtime/model/datetime.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../runtime/model/objects.ts";
import { PyComplex, PyDecimal, PyFloat, PyUUID } from "../runtime/model/scalars.ts";

const TypedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object };

const WATCHED: [string, object][] = [
  ...(
    [
      Object,
      Array,
      Map,
      Set,
      WeakMap,
      WeakSet,
      Function,
      String,
      Number,
      BigInt,
      Boolean,
      Symbol,
      Uint8Array,
      TypedArray,
      ArrayBuffer,
      DataView,
      Promise,
      Error,
      TypeError,
      RangeError,
      RegExp,
      Date,
      Buffer,
      PyTuple,
      PyFrozenSet,
      PyBytearray,
      PyOrderedDict,
      PyDateTime,
      PyDate,
      PyTime,
      PyTimeDelta,
      PyTimezone,
      PyZoneInfo,
      PyDecimal,
      PyUUID,
      PyComplex,
      PyFloat,
      PyGlobal,
      PyObject,
      PickleBuffer,
    ] as unknown as { name: string; prototype: object }[]
  ).flatMap((c): [string, object][] => [
    [`${c.name || "TypedArray"}.prototype`, c.prototype],
    [c.name || "TypedArray", c],
  ]),
  ["JSON", JSON],
  ["Math", Math],
  ["Reflect", Reflect],
];

type Snapshot = Map<object, Map<PropertyKey, unknown[]>>;

function take(): Snapshot {
  const snap: Snapshot = new Map();
  for (const [, target] of WATCHED) {
    const props = new Map<PropertyKey, unknown[]>();
    for (const key of Reflect.ownKeys(target)) {
      const d = Object.getOwnPropertyDescriptor(target, key)!;
      props.set(key, [d.value, d.get, d.set, d.writable, d.enumerable, d.configurable]);
    }
    snap.set(target, props);
  }
  for (const [, target] of WATCHED) snap.get(target)!.set("[[Prototype]]", [Object.getPrototypeOf(target)]);
  return snap;
}

const original = take();

/** What changed since the snapshot ("Object.prototype.polluted added"); empty when nothing did. */
export function prototypeChanges(): string[] {
  const now = take();
  const changes: string[] = [];
  for (const [name, target] of WATCHED) {
    const before = original.get(target)!;
    const after = now.get(target)!;
    for (const [key, value] of after) {
      const old = before.get(key);
      if (!old) changes.push(`${name}.${String(key)} added`);
      else if (old.some((x, i) => !Object.is(x, value[i]))) changes.push(`${name}.${String(key)} changed`);
    }
    for (const key of before.keys()) if (!after.has(key)) changes.push(`${name}.${String(key)} removed`);
  }
  return changes;
}

/** Puts back what an input changed, so that one polluting input does not taint the next ones. */
export function restorePrototypes(): void {
  for (const [, target] of WATCHED) {
    const before = original.get(target)!;
    for (const key of Reflect.ownKeys(target)) {
      if (!before.has(key)) Reflect.deleteProperty(target, key);
    }
    for (const [key, [value, get, set, writable, enumerable, configurable]] of before) {
      if (key === "[[Prototype]]") {
        if (Object.getPrototypeOf(target) !== value) Object.setPrototypeOf(target, value as object | null);
        continue;
      }
      const d = get || set ? { get, set, enumerable, configurable } : { value, writable, enumerable, configurable };
      try {
        Reflect.defineProperty(target, key, d as PropertyDescriptor);
      } catch {
        // non-configurable: it cannot have been changed either
      }
    }
  }
}
