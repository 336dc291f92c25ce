// Python's repr() of a value (`show`): what `print(repr(pickle.load(f)))` prints for builtin and
// standard-library values; opaque class instances in a plain readable form, `module.Class(…)`.
// Iterative, and bounded: shared sub-objects print in full as in Python, so a DAG could print
// exponentially; past `maxLength` characters it stops with ReprTooLongError.
import { PyBytearray, PyFrozenSet, PyOrderedDict, PyTuple } from "../model/containers.ts";
import { PyDate, PyDateTime, PyTime, PyTimeDelta, PyTimezone, PyZoneInfo } from "../model/datetime.ts";
import { PickleBuffer, PyGlobal, PyObject } from "../model/objects.ts";
import { PyComplex, PyDecimal, PyFloat, PyUUID } from "../model/scalars.ts";
import type { PyValue } from "../model/value.ts";
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
  return undefined;
}

const isIdentifier = (k: PyValue) => typeof k === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k);

export function pyRepr(root: PyValue, maxLength = 1 << 20): string {
  const out: string[] = [];
  let length = 0;
  const active = new Set<object>(); // objects being printed: a second visit is a cycle
  const work: Work[] = [{ value: root }];
  const emit = (s: string) => {
    out.push(s);
    length += s.length;
    if (length > maxLength) throw new ReprTooLongError(`repr is longer than ${maxLength} characters (shared values print in full; use --json)`);
  };
  /** Pushes pieces to be produced in reading order. (An array, not arguments: it can be huge.) */
  const later = (pieces: readonly Work[]) => {
    for (let i = pieces.length - 1; i >= 0; i--) work.push(pieces[i]!);
  };
  const seq = (open: string, items: Iterable<PyValue>, close: string, sep = ", "): Work[] => {
    const pieces: Work[] = [open];
    let first = true;
    for (const item of items) {
      if (!first) pieces.push(sep);
      first = false;
      pieces.push({ value: item });
    }
    pieces.push(close);
    return pieces;
  };
  const pairs = (open: string, entries: Iterable<readonly [PyValue, PyValue]>, close: string): Work[] => {
    const pieces: Work[] = [open];
    let first = true;
    for (const [k, v] of entries) {
      if (!first) pieces.push(", ");
      first = false;
      pieces.push({ value: k }, ": ", { value: v });
    }
    pieces.push(close);
    return pieces;
  };

  while (work.length > 0) {
    const item = work.pop()!;
    if (typeof item === "string") {
      emit(item);
      continue;
    }
    if ("leave" in item) {
      active.delete(item.leave);
      continue;
    }
    const v = item.value;
    const leaf = leafRepr(v);
    if (leaf !== undefined) {
      emit(leaf);
      continue;
    }
    const obj = v as object;
    if (active.has(obj)) {
      emit(Array.isArray(v) ? "[...]" : v instanceof PyTuple ? "(...)" : v instanceof PyFrozenSet ? "frozenset(...)" : v instanceof Set ? "set(...)" : v instanceof PyOrderedDict ? "..." : v instanceof Map ? "{...}" : "...");
      continue;
    }
    active.add(obj);
    work.push({ leave: obj });
    if (Array.isArray(v)) later(seq("[", v, "]"));
    else if (v instanceof PyTuple) later(v.items.length === 1 ? seq("(", v.items, ",)") : seq("(", v.items, ")"));
    else if (v instanceof PyFrozenSet) later(v.size ? seq("frozenset({", v, "})") : ["frozenset()"]);
    else if (v instanceof Set) later(v.size ? seq("{", v, "}") : ["set()"]);
    else if (v instanceof PyOrderedDict) {
      const items: Work[] = ["OrderedDict(["];
      let first = true;
      for (const [k, x] of v) {
        if (!first) items.push(", ");
        first = false;
        items.push("(", { value: k }, ", ", { value: x }, ")");
      }
      items.push("])");
      later(v.size ? items : ["OrderedDict()"]);
    } else if (v instanceof Map) later(pairs("{", v, "}"));
    else if (v instanceof PyDateTime || v instanceof PyTime) {
      const fields = v instanceof PyDateTime ? [v.year, v.month, v.day, ...clockFields(v)] : clockFields(v);
      const pieces: Work[] = [`datetime.${v instanceof PyDateTime ? "datetime" : "time"}(${fields.join(", ")}`];
      if (v.fold) pieces.push(", fold=1");
      if (v.tzinfo !== null) pieces.push(", tzinfo=", { value: v.tzinfo });
      pieces.push(")");
      later(pieces);
    } else if (v instanceof PyObject) {
      const pieces: Work[] = [];
      // module.Class(…) when the name prints as it is; a name with control characters or quotes
      // shows as <global '…'> (escaped), like any other callable.
      const name = v.callable instanceof PyGlobal ? v.callable.qualifiedName : undefined;
      if (name !== undefined && shownName(name) === name) pieces.push(name);
      else pieces.push("(", { value: v.callable }, ")");
      const parts: Work[][] = v.args.map((a) => [{ value: a }]);
      if (v.kwargs) for (const [k, x] of v.kwargs) parts.push([isIdentifier(k) ? String(k) : "?", "=", { value: x }]);
      const state = v.state;
      if (state instanceof Map && v.args.length === 0 && [...state.keys()].every(isIdentifier)) {
        for (const [k, x] of state) parts.push([`${String(k)}=`, { value: x }]);
      } else if (state !== undefined) {
        parts.push(["state=", { value: state }]);
      }
      if (v.listItems) parts.push(["items=", { value: v.listItems }]);
      if (v.dictItems) parts.push(["dictitems=", { value: new Map(v.dictItems) }]);
      pieces.push("(");
      parts.forEach((p, i) => {
        if (i) pieces.push(", ");
        for (const x of p) pieces.push(x);
      });
      pieces.push(")");
      later(pieces);
    } else {
      emit(`<${Object.prototype.toString.call(v)}>`);
    }
  }
  return out.join("");
}
