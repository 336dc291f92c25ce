// Python's repr() of a value (`show`): what `print(repr(pickle.load(f)))` prints for builtin and
// standard-library values; opaque class instances in a plain readable form, `module.Class(…)`.
// Iterative, and bounded: shared sub-objects print in full as in Python, so a DAG could print
// exponentially; past `maxLength` characters it stops with ReprTooLongError.
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
import { NdArray, NumpyDtype, NumpyScalar } from "../numpy/ndarray.ts";
import { dtypeRepr, ndarrayRepr, numpyScalarRepr } from "../numpy/repr.ts";
import { floatRepr } from "./float-repr.ts";
import { bytesRepr, shownName, strRepr } from "./str-repr.ts";

export class ReprTooLongError extends Error {}

type Work = string | { value: PyValue } | { leave: object };

function complexPart(x: number): string {
  const r = floatRepr(x);
  return r.endsWith(".0") ? r.slice(0, -2) : r;
}

function complexRepr(c: PyComplex): string {
  if (c.real === 0 && !Object.is(c.real, -0)) return `${complexPart(c.imag)}j`;
  const imag = complexPart(c.imag);
  const sign = imag.startsWith("-") ? "" : "+";
  return `(${complexPart(c.real)}${sign}${imag}j)`;
}

function timedeltaRepr(t: PyTimeDelta): string {
  const parts: string[] = [];
  if (t.days) parts.push(`days=${t.days}`);
  if (t.seconds) parts.push(`seconds=${t.seconds}`);
  if (t.microseconds) parts.push(`microseconds=${t.microseconds}`);
  return `datetime.timedelta(${parts.length ? parts.join(", ") : "0"})`;
}

/** Fields of a time-of-day, with Python's trailing-zero trimming. */
function clockFields(t: PyTime | PyDateTime): number[] {
  if (t.microsecond) return [t.hour, t.minute, t.second, t.microsecond];
  if (t.second) return [t.hour, t.minute, t.second];
  return [t.hour, t.minute];
}

/** repr() of a value with no children worth expanding; undefined for containers. */
function leafRepr(v: PyValue): string | undefined {
  if (v === null) return "None";
  switch (typeof v) {
    case "boolean":
      return v ? "True" : "False";
    case "bigint":
      return v.toString();
    case "number":
      return floatRepr(v);
    case "string":
      return strRepr(v);
  }
  if (v instanceof PyBytearray) return `bytearray(${bytesRepr(v)})`;
  if (v instanceof Uint8Array) return bytesRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof PyComplex) return complexRepr(v);
  if (v instanceof PyDecimal) return `Decimal(${strRepr(v.text)})`;
  if (v instanceof PyUUID) return `UUID('${v.toString()}')`;
  if (v instanceof PyGlobal) return `<global ${strRepr(v.qualifiedName)}>`;
  if (v instanceof PyDate && !(v instanceof PyDateTime)) return `datetime.date(${v.year}, ${v.month}, ${v.day})`;
  if (v instanceof PyTimeDelta) return timedeltaRepr(v);
  if (v instanceof PyZoneInfo) return `zoneinfo.ZoneInfo(key=${strRepr(v.key)})`;
  if (v instanceof PyTimezone) {
    if (v.isUtc) return "datetime.timezone.utc";
    return `datetime.timezone(${timedeltaRepr(v.offset)}${v.name === null ? "" : `, ${strRepr(v.name)}`})`;
  }
  if (v instanceof PickleBuffer) return `PickleBuffer(${bytesRepr(v.data)}${v.readonly ? ", readonly=True" : ""})`;
  if (v instanceof NdArray) return ndarrayRepr(v);
  if (v instanceof NumpyScalar) return numpyScalarRepr(v);
  if (v instanceof NumpyDtype) return dtypeRepr(v);
  return undefined;
}

/** Python identifiers, as keyword-argument and attribute names print. */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const isIdentifier = (k: PyValue) => typeof k === "string" && IDENTIFIER.test(k);

function tooLong(maxLength: number): ReprTooLongError {
  return new ReprTooLongError(`repr is longer than ${maxLength} characters (shared values print in full; use --json)`);
}

export function pyRepr(root: PyValue, maxLength = 1 << 20): string {
  // A value without children (the common case for many small pickles) needs no work list.
  const leaf = leafRepr(root);
  if (leaf !== undefined) {
    if (leaf.length > maxLength) throw tooLong(maxLength);
    return leaf;
  }
  return new ReprWriter(maxLength).write(root);
}

/** One repr's output and work list: a class, so that printing many small values creates no closures. */
class ReprWriter {
  private readonly out: string[] = [];
  private length = 0;
  /** Objects being printed: a second visit is a cycle. */
  private readonly active = new Set<object>();
  private readonly work: Work[] = [];

  constructor(private readonly maxLength: number) {}

  private emit(s: string): void {
    this.out.push(s);
    this.length += s.length;
    if (this.length > this.maxLength) throw tooLong(this.maxLength);
  }

  /** Pushes pieces to be produced in reading order. (An array, not arguments: it can be huge.) */
  private later(pieces: readonly Work[]): void {
    for (let i = pieces.length - 1; i >= 0; i--) this.work.push(pieces[i]!);
  }

  private seq(open: string, items: Iterable<PyValue>, close: string, sep = ", "): Work[] {
    const pieces: Work[] = [open];
    let first = true;
    for (const item of items) {
      if (!first) pieces.push(sep);
      first = false;
      pieces.push({ value: item });
    }
    pieces.push(close);
    return pieces;
  }

  private pairs(open: string, entries: Iterable<readonly [PyValue, PyValue]>, close: string): Work[] {
    const pieces: Work[] = [open];
    let first = true;
    for (const [k, v] of entries) {
      if (!first) pieces.push(", ");
      first = false;
      pieces.push({ value: k }, ": ", { value: v });
    }
    pieces.push(close);
    return pieces;
  }

  write(root: PyValue): string {
    const { work, active } = this;
    work.push({ value: root });
    while (work.length > 0) {
      const item = work.pop()!;
      if (typeof item === "string") {
        this.emit(item);
        continue;
      }
      if ("leave" in item) {
        active.delete(item.leave);
        continue;
      }
      const v = item.value;
      const leaf = leafRepr(v);
      if (leaf !== undefined) {
        this.emit(leaf);
        continue;
      }
      const obj = v as object;
      if (active.has(obj)) {
        this.emit(
          Array.isArray(v)
            ? "[...]"
            : v instanceof PyTuple
              ? "(...)"
              : v instanceof PyFrozenSet
                ? "frozenset(...)"
                : v instanceof Set
                  ? "set(...)"
                  : v instanceof PyOrderedDict
                    ? "..."
                    : v instanceof Map
                      ? "{...}"
                      : "...",
        );
        continue;
      }
      active.add(obj);
      work.push({ leave: obj });
      if (Array.isArray(v)) this.later(this.seq("[", v, "]"));
      else if (v instanceof PyTuple) this.later(v.items.length === 1 ? this.seq("(", v.items, ",)") : this.seq("(", v.items, ")"));
      else if (v instanceof PyFrozenSet) this.later(v.size ? this.seq("frozenset({", v, "})") : ["frozenset()"]);
      else if (v instanceof Set) this.later(v.size ? this.seq("{", v, "}") : ["set()"]);
      else if (v instanceof PyOrderedDict) {
        const items: Work[] = ["OrderedDict(["];
        let first = true;
        for (const [k, x] of v) {
          if (!first) items.push(", ");
          first = false;
          items.push("(", { value: k }, ", ", { value: x }, ")");
        }
        items.push("])");
        this.later(v.size ? items : ["OrderedDict()"]);
      } else if (v instanceof Map) this.later(this.pairs("{", v, "}"));
      else if (v instanceof PyDateTime || v instanceof PyTime) {
        const fields = v instanceof PyDateTime ? [v.year, v.month, v.day, ...clockFields(v)] : clockFields(v);
        const pieces: Work[] = [`datetime.${v instanceof PyDateTime ? "datetime" : "time"}(${fields.join(", ")}`];
        if (v.fold) pieces.push(", fold=1");
        if (v.tzinfo !== null) pieces.push(", tzinfo=", { value: v.tzinfo });
        pieces.push(")");
        this.later(pieces);
      } else if (v instanceof PyObject) {
        this.later(objectPieces(v));
      } else {
        this.emit(`<${Object.prototype.toString.call(v)}>`);
      }
    }
    return this.out.join("");
  }
}

/** The pieces of an opaque instance: `module.Class(arg, key=value, …, state=…, items=…, dictitems=…)`. */
function objectPieces(v: PyObject): Work[] {
  const pieces: Work[] = [];
  // module.Class(…) when the name prints as it is; a name with control characters or quotes
  // shows as <global '…'> (escaped), like any other callable.
  const name = v.callable instanceof PyGlobal ? v.callable.qualifiedName : undefined;
  if (name !== undefined && shownName(name) === name) pieces.push(name);
  else pieces.push("(", { value: v.callable }, ")");
  const parts: Work[][] = [];
  for (const a of v.args) parts.push([{ value: a }]);
  if (v.kwargs) for (const [k, x] of v.kwargs) parts.push([isIdentifier(k) ? String(k) : "?", "=", { value: x }]);
  const state = v.state;
  if (state instanceof Map && v.args.length === 0 && allIdentifiers(state)) {
    for (const [k, x] of state) parts.push([`${String(k)}=`, { value: x }]);
  } else if (state !== undefined) {
    parts.push(["state=", { value: state }]);
  }
  if (v.listItems) parts.push(["items=", { value: v.listItems }]);
  if (v.dictItems) parts.push(["dictitems=", { value: new Map(v.dictItems) }]);
  pieces.push("(");
  for (let i = 0; i < parts.length; i++) {
    if (i) pieces.push(", ");
    for (const x of parts[i]!) pieces.push(x);
  }
  pieces.push(")");
  return pieces;
}

function allIdentifiers(state: Map<PyValue, PyValue>): boolean {
  for (const k of state.keys()) if (!isIdentifier(k)) return false;
  return true;
}
