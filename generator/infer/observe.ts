// Walks opaque pickle values (nothing called) and records every class instance met: how often, in
// which state form, and per attribute how often it was present, how often None, and its observed
// type unified across instances. Each instance is observed once however often it is referenced, so
// shared instances count once and cycles end.
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../../runtime/model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta } from "../../runtime/model/datetime.ts";
import { PyGlobal, PyObject } from "../../runtime/model/objects.ts";
import { PyDecimal, PyUUID } from "../../runtime/model/scalars.ts";
import type { PyValue } from "../../runtime/model/value.ts";
import { type PickledForm, formOf } from "../../runtime/typed/state-forms.ts";
import { type Shape, unify } from "./unify.ts";

/** One attribute (or, for the positional forms, one position) of a class. */
export interface FieldObservation {
  /** Instances that had it. */
  seen: number;
  /** Instances where it was None. */
  none: number;
  shape: Shape | undefined;
}

export interface ClassObservation {
  module: string;
  qualname: string;
  /** Instances observed (each object once). */
  instances: number;
  forms: Map<PickledForm, number>;
  /** By Python attribute name, or by position ("0", "1", …) for the tuple/args/reduce forms; in order first seen. */
  fields: Map<string, FieldObservation>;
  /** Positional forms: the numbers of values seen (more than one is a TODO). */
  lengths: Set<number>;
  /** Enum-like instances (REDUCE with one argument, no state): the distinct values, in order first seen. */
  enumValues: PyValue[];
  /** How many instances were enum-like. */
  enumLike: number;
  /** Attribute keys that are not str (left out, and said). */
  oddKeys: number;
}

const SAFE = 2n ** 53n;

const emptyClass = (module: string, qualname: string): ClassObservation => ({
  module,
  qualname,
  instances: 0,
  forms: new Map(),
  fields: new Map(),
  lengths: new Set(),
  enumValues: [],
  enumLike: 0,
  oddKeys: 0,
});

/** True when `o` is pickled as an Enum member is: `Color('red')`, REDUCE with the value alone. */
export const isEnumLike = (o: PyObject) =>
  o.construction === "reduce" && o.args.length === 1 && formOf(o) === "reduce" && (typeof o.args[0] === "string" || typeof o.args[0] === "bigint");

export class Observer {
  /** By `module.qualname`, in order first seen. */
  readonly classes = new Map<string, ClassObservation>();
  private readonly observed = new Set<PyObject>();

  /** Observes one pickle's value (its root's type is not a field of anything). */
  observe(value: PyValue): void {
    this.shapeOf(value, new Set());
  }

  private shapeOf(v: PyValue, open: Set<object>): Shape {
    if (v === null) return { kind: "none" };
    if (typeof v === "boolean") return { kind: "leaf", name: "bool" };
    if (typeof v === "bigint") return { kind: "int", big: v >= SAFE || v <= -SAFE };
    if (typeof v === "number") return { kind: "leaf", name: "float" };
    if (typeof v === "string") return { kind: "leaf", name: "str" };
    if (v instanceof PyBytearray) return { kind: "leaf", name: "bytearray" };
    if (v instanceof Uint8Array) return { kind: "leaf", name: "bytes" };
    if (v instanceof PyDateTime) return { kind: "leaf", name: "datetime" };
    if (v instanceof PyDate) return { kind: "leaf", name: "date" };
    if (v instanceof PyTime) return { kind: "leaf", name: "time" };
    if (v instanceof PyTimeDelta) return { kind: "leaf", name: "timedelta" };
    if (v instanceof PyDecimal) return { kind: "leaf", name: "Decimal" };
    if (v instanceof PyUUID) return { kind: "leaf", name: "UUID" };
    if (v instanceof PyObject) return v.callable instanceof PyGlobal ? this.instance(v, v.callable) : { kind: "any", seen: ["an instance of a class the pickle built itself"] };
    if (!(Array.isArray(v) || v instanceof PyTuple || v instanceof Map || v instanceof Set)) return { kind: "any", seen: [v.constructor.name] };
    if (v instanceof PyOrderedDict) return { kind: "any", seen: ["collections.OrderedDict"] };
    // A container inside itself: its type would be infinite.
    if (open.has(v)) return { kind: "any", seen: ["a container that contains itself"] };
    open.add(v);
    try {
      if (Array.isArray(v)) return { kind: "list", item: this.itemsShape(v, open) };
      if (v instanceof PyTuple) return { kind: "tuple", items: v.items.map((x) => this.shapeOf(x, open)) };
      if (v instanceof Map) return { kind: "dict", key: this.itemsShape(v.keys(), open), value: this.itemsShape(v.values(), open) };
      return { kind: v instanceof PyFrozenSet ? "frozenset" : "set", item: this.itemsShape(v, open) };
    } finally {
      open.delete(v);
    }
  }

  private itemsShape(items: Iterable<PyValue>, open: Set<object>): Shape | undefined {
    let shape: Shape | undefined;
    for (const x of items) {
      const s = this.shapeOf(x, open);
      shape = shape === undefined ? s : unify(shape, s);
    }
    return shape;
  }

  private instance(o: PyObject, cls: PyGlobal): Shape {
    const key = cls.qualifiedName;
    const shape: Shape = { kind: "class", key };
    if (this.observed.has(o)) return shape;
    this.observed.add(o);
    let c = this.classes.get(key);
    if (c === undefined) this.classes.set(key, (c = emptyClass(cls.module, cls.name)));
    c.instances++;
    if (isEnumLike(o)) {
      c.enumLike++;
      c.forms.set("reduce", (c.forms.get("reduce") ?? 0) + 1);
      if (!c.enumValues.includes(o.args[0]!)) c.enumValues.push(o.args[0]!);
      this.attribute(c, "0", o.args[0]!);
      return shape;
    }
    const form = formOf(o);
    c.forms.set(form, (c.forms.get(form) ?? 0) + 1);
    const positional = (values: readonly PyValue[]) => {
      c.lengths.add(values.length);
      for (const [i, x] of values.entries()) this.attribute(c, String(i), x);
    };
    const named = (state: Map<PyValue, PyValue>) => {
      for (const [k, x] of state) {
        if (typeof k === "string") this.attribute(c, k, x);
        else c.oddKeys++;
      }
    };
    const state = o.state;
    if (form === "args" || form === "reduce") positional(o.args);
    else if (form === "tuple" && state instanceof PyTuple) positional(state.items);
    else if (form === "pydantic" && state instanceof Map) named(state.get("__dict__") as Map<PyValue, PyValue>);
    else if (form === "slots" && state instanceof PyTuple) for (const part of state.items) part instanceof Map && named(part);
    else if (form === "dict" && state instanceof Map) named(state);
    return shape;
  }

  private attribute(c: ClassObservation, name: string, value: PyValue): void {
    let f = c.fields.get(name);
    if (f === undefined) c.fields.set(name, (f = { seen: 0, none: 0, shape: undefined }));
    f.seen++;
    if (value === null) f.none++;
    const s = this.shapeOf(value, new Set());
    f.shape = f.shape === undefined ? s : unify(f.shape, s);
  }
}
