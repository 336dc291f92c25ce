// Which state form a pickled instance was written in, read from how it was built (NEWOBJ or REDUCE,
// with how many arguments) and what BUILD gave it — so that a schema declaring another form gets an
// error naming the form to declare, not a field "missing" further on.
import { PyTuple } from "../model/containers.ts";
import { withArticle } from "../format/indefinite-article.ts";
import type { PyObject } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import { typeName } from "../reader/dict-keys.ts";
import type { FromPy } from "./codec.ts";
import type { StateForm } from "./decorators.ts";

/**
 * The form a pickle is in: the StateForm that reads it; "none" when no schema class can hold it
 * (arguments and a state, keyword arguments, list or dict items); "empty" for an instance built with
 * no arguments and given no state, and "custom" for a state of another type (a custom __getstate__)
 * — neither of which says which form was meant.
 */
export type PickledForm = StateForm | "empty" | "custom" | "none";

/** A BUILD state that sets nothing: Python writes none for an instance without attributes. */
function isEmptyState(state: PyValue | undefined): boolean {
  return state === undefined || state === null || (state instanceof Map && state.size === 0);
}

/** `__slots__` state as Python's object.__getstate__ makes it: (None or a dict, a dict). */
export function isSlotState(state: PyValue | undefined): state is PyTuple {
  if (!(state instanceof PyTuple) || state.items.length !== 2) return false;
  const [dict, slots] = state.items;
  return (dict === null || dict instanceof Map) && slots instanceof Map;
}

/** The keys of a pydantic v2 model's state (BaseModel.__getstate__). */
export const PYDANTIC_KEYS = ["__dict__", "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__"] as const;

/** A pydantic v2 model's state: a dict of those keys, its fields a dict and its fields_set a set. */
export function isPydanticState(state: PyValue | undefined): state is Map<PyValue, PyValue> {
  if (!(state instanceof Map) || state.size !== PYDANTIC_KEYS.length) return false;
  if (!PYDANTIC_KEYS.every((k) => state.has(k))) return false;
  return state.get("__dict__") instanceof Map && state.get("__pydantic_fields_set__") instanceof Set;
}

/** The form `o` was pickled in (exported for `typed-pickle infer`, which drafts a schema from it). */
export function formOf(o: PyObject): PickledForm {
  if (o.listItems !== undefined || o.dictItems !== undefined || (o.kwargs !== null && o.kwargs.size > 0)) return "none";
  const empty = isEmptyState(o.state);
  if (o.args.length > 0) return !empty ? "none" : o.construction === "reduce" ? "reduce" : "args";
  if (empty) return "empty";
  const state = o.state;
  if (isPydanticState(state)) return "pydantic";
  return state instanceof Map ? "dict" : isSlotState(state) ? "slots" : state instanceof PyTuple ? "tuple" : "custom";
}

/**
 * True when `o` is in a form `declared` reads (its reader checks the counts): args and reduce read
 * each other's pickles, slots reads a state of a dict alone, and only tuple needs a state.
 */
export function readsAs(o: PyObject, declared: StateForm): boolean {
  const form = formOf(o);
  if (form === declared) return true;
  if (form === "empty") return declared !== "tuple" && declared !== "pydantic";
  if (declared === "slots") return form === "dict";
  return (declared === "args" || declared === "reduce") && (form === "args" || form === "reduce");
}

function stateInWords(state: PyValue): string {
  if (isPydanticState(state)) return "a pydantic model's ({'__dict__': …, '__pydantic_fields_set__': …, …})";
  if (state instanceof Map) return "a dict of attributes";
  if (isSlotState(state)) return "__slots__ state (None, {slot: value})";
  if (state instanceof PyTuple) return `a tuple of ${state.items.length}`;
  return withArticle(typeName(state));
}

/** What the pickle does, in words (only when refusing it). */
function inWords(o: PyObject): string {
  if (o.listItems !== undefined) return "the pickle appends list items to it (a list subclass), which a schema class cannot hold";
  if (o.dictItems !== undefined) return "the pickle sets dict items on it (a dict subclass), which a schema class cannot hold";
  if (o.kwargs !== null && o.kwargs.size > 0) return "the pickle passes keyword arguments to __new__ (NEWOBJ_EX: a __getnewargs_ex__), which a schema class cannot hold";
  const n = o.args.length;
  const opcode = o.construction === "reduce" ? "REDUCE" : o.construction === "newobj_ex" ? "NEWOBJ_EX" : o.construction === "newobj" ? "NEWOBJ" : o.construction.toUpperCase();
  const args = `${n} constructor argument${n === 1 ? "" : "s"} (${opcode})`;
  if (n > 0 && !isEmptyState(o.state)) return `the pickle passes ${args} and a state (BUILD) of ${stateInWords(o.state!)}; a schema class reads one or the other`;
  if (n > 0) return `the pickle passes ${args}`;
  return `the pickle's state (BUILD) is ${stateInWords(o.state!)}`;
}

/**
 * Refuses `o`, which is not in the schema's state form: names the form it is in and the declaration
 * that reads it. Where the form says nothing (or is the schema's, and a count differs), `otherwise`
 * words the refusal.
 */
export function wrongForm(o: PyObject, declared: StateForm, ctx: FromPy, otherwise: () => never): never {
  const form = formOf(o);
  if (form === "empty" || form === "custom" || readsAs(o, declared)) return otherwise();
  if (form === "none") return ctx.fail(inWords(o));
  return ctx.fail(`${inWords(o)}; declare @pyclass(…, { state: "${form}" })`);
}
