// The children of a value, for every walk over the model (depth checks, repr, JSON, the writer's
// identity pass). One place knows what each model type holds.
import { PyTuple } from "./containers.ts";
import { PyDateTime, PyTime, PyTimezone } from "./datetime.ts";
import { PyObject } from "./objects.ts";
import type { PyValue } from "./value.ts";

export function forEachChild(value: PyValue, visit: (child: PyValue) => void): void {
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) visit(item);
  } else if (value instanceof PyTuple) {
    for (const item of value.items) visit(item);
  } else if (value instanceof Map) {
    for (const [k, v] of value) {
      visit(k);
      visit(v);
    }
  } else if (value instanceof Set) {
    for (const item of value) visit(item);
  } else if (value instanceof PyObject) {
    visit(value.callable);
    for (const a of value.args) visit(a);
    if (value.kwargs) for (const [k, v] of value.kwargs) (visit(k), visit(v));
    if (value.state !== undefined) visit(value.state);
    if (value.listItems) for (const item of value.listItems) visit(item);
    if (value.dictItems) for (const [k, v] of value.dictItems) (visit(k), visit(v));
  } else if (value instanceof PyDateTime || value instanceof PyTime) {
    if (value.tzinfo !== null) visit(value.tzinfo);
  } else if (value instanceof PyTimezone) {
    visit(value.offset);
  }
}
