// Where a value sits inside another, as a path for error messages: `$.users[3].onChange`. The
// pickler reports what it could not write; this finds the first place that value occurs, walking
// in the order the pickler saves (so it is the place the pickler reached). Runs only on errors.
import { PyTuple } from "../model/containers.ts";
import { PyDateTime, PyTime } from "../model/datetime.ts";
import { PyObject } from "../model/objects.ts";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function keyLabel(key: unknown): string {
  if (typeof key === "string") return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  if (typeof key === "bigint" || typeof key === "number") return `[${key}]`;
  return `[${String(key)}]`;
}

/** Children with their path steps, in save order. */
function children(v: unknown): [string, unknown][] {
  if (typeof v !== "object" || v === null) return [];
  if (Array.isArray(v)) return v.map((x, i) => [`[${i}]`, x]);
  if (v instanceof PyTuple) return v.items.map((x, i) => [`[${i}]`, x]);
  if (v instanceof Map)
    return [...v].flatMap(
      ([k, x], i) =>
        [
          [`.<key ${i}>`, k],
          [keyLabel(k), x],
        ] as [string, unknown][],
    );
  if (v instanceof Set) return [...v].map((x, i) => [`.<member ${i}>`, x]);
  if (v instanceof PyObject) {
    const out: [string, unknown][] = [[".callable", v.callable], ...v.args.map((x, i) => [`.args[${i}]`, x] as [string, unknown])];
    if (v.kwargs) for (const [k, x] of v.kwargs) out.push([`.kwargs${keyLabel(k)}`, x]);
    v.listItems?.forEach((x, i) => {
      out.push([`.listItems[${i}]`, x]);
    });
    v.dictItems?.forEach(([k, x], i) => {
      out.push([`.dictItems[${i}][0]`, k], [`.dictItems[${i}][1]`, x]);
    });
    if (v.state !== undefined) out.push([".state", v.state]);
    return out;
  }
  if (v instanceof PyDateTime || v instanceof PyTime) return v.tzinfo === null ? [] : [[".tzinfo", v.tzinfo]];
  if (v instanceof Uint8Array) return [];
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return Object.entries(v).map(([k, x]) => [keyLabel(k), x]);
  return [];
}

/** The path of the first occurrence of `target` in `root`, or "$" if it is not found. */
export function findPath(root: unknown, target: unknown): string {
  const seen = new Set<object>();
  const stack: [string, unknown][] = [["$", root]];
  while (stack.length > 0) {
    const [path, v] = stack.pop()!;
    if (v === target || (Number.isNaN(target) && Number.isNaN(v))) return path;
    if (typeof v !== "object" || v === null || seen.has(v)) continue;
    seen.add(v);
    const kids = children(v);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([path + kids[i]![0], kids[i]![1]]);
  }
  return "$";
}
