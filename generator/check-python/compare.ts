// The comparison: one schema class (or enum) against what Python said about the class it names.
// Each difference is reported on the schema node it is about; nothing is reported for what Python
// cannot tell (an unannotated plain class's fields, the fields of a class with its own __getstate__
// or __reduce__ — the round trip of a default instance checks those where one can be built).
import type { Node } from "ts-morph";
import type { Code } from "../diagnostics.ts";
import { KIND_TEXT, schemaTypeOf } from "../import-python/to-model.ts";
import { type PythonNameOf, schemaTypeText, typeFits } from "./compare-types.ts";
import type { CheckedField, PythonClass } from "./python-query.ts";
import type { PlacedClass, PlacedEnum } from "./schema-places.ts";

export type Report = (node: Node, code: Code, message: string) => void;

/** States where a field is a position: each one Python pickles must be in the schema, in Python's order. */
const POSITIONAL = new Set(["args", "tuple"]);

const list = (names: readonly string[]) => (names.length === 0 ? "none" : names.map((n) => `'${n}'`).join(", "));

/** Drift a class found in neither form (no class, not a class); true when there is nothing more to compare. */
function missing(py: PythonClass, where: Node, declared: "class" | "enum", report: Report): boolean {
  const name = `${py.module}.${py.qualname}`;
  if (!py.found) {
    report(where, "TP210", `module ${py.module} has no ${declared === "enum" ? "enum" : "class"} '${py.qualname}'`);
    return true;
  }
  const isEnum = py.info?.kind === "enum";
  if (!py.describable || !py.info) report(where, "TP211", `${name} is not a class check --python can describe (${String(py.what)})`);
  else if (declared === "enum" && !isEnum) report(where, "TP211", `${name} is ${KIND_TEXT[py.info.kind] ?? "a class"} in Python, not an enum; declare it with @pyclass`);
  else if (declared === "class" && isEnum) report(where, "TP211", `${name} is an enum in Python; declare it with a TypeScript enum and pyenum()`);
  else return false;
  return true;
}

/** The state form Python pickles the class with: seen on a default instance, else what the class says, else unknown. */
function pythonState(py: PythonClass): string | undefined {
  if (py.observedState !== undefined) return py.observedState;
  return py.info?.getstate?.length ? undefined : py.info?.state;
}

export function compareClass(placed: PlacedClass, py: PythonClass, pythonNameOf: PythonNameOf, report: Report): void {
  if (missing(py, placed.node, "class", report)) return;
  const info = py.info!;
  const { model } = placed;
  const name = `${py.module}.${py.qualname}`;
  const state = pythonState(py);
  if (state !== undefined && state !== model.state) {
    const how = py.observedState !== undefined ? "a default instance pickles" : `${KIND_TEXT[info.kind] ?? "a class"} pickles`;
    report(placed.node, "TP205", `${name} pickles with state "${state}" in Python (${how} so), "${model.state}" here`);
  }
  const pyFields: CheckedField[] = info.fields ?? [];
  if ((info.kind === "plain" && pyFields.length === 0) || info.getstate?.length) return;

  const byName = new Map(pyFields.map((f) => [String(f.name), f]));
  const schemaNames = new Set(model.fields.map((f) => f.pyName));
  for (const f of model.fields) {
    const node = placed.fields.get(f.tsName)!;
    const p = byName.get(f.pyName);
    if (!p) {
      const unclaimed = pyFields.map((x) => String(x.name)).filter((n) => !schemaNames.has(n));
      report(node, "TP202", `field '${f.pyName}' is not in ${name} (renamed or removed?); Python's fields the schema does not name: ${list(unclaimed)}`);
      continue;
    }
    const expected = schemaTypeOf(p.type, (module, qualname) => `${module}.${qualname}`, []);
    if (!typeFits(expected, f.type, pythonNameOf)) {
      report(node, "TP201", `field '${f.pyName}' is '${schemaTypeText(expected)}' in ${name} (annotation ${String(p.annotation ?? "unknown")}), '${typeTextOf(node)}' here`);
    }
  }
  const positional = POSITIONAL.has(model.state);
  for (const p of pyFields) {
    const pyName = String(p.name);
    if (schemaNames.has(pyName) || !(p.required || positional)) continue;
    const annotation = String(p.annotation ?? "unknown");
    if (p.required) report(placed.node, "TP203", `${name} has a required field '${pyName}' (annotation ${annotation}, no default) that the schema lacks`);
    else report(placed.node, "TP203", `${name} has a field '${pyName}' (annotation ${annotation}) that the schema lacks: state "${model.state}" pickles every field by position`);
  }
  if (positional) {
    const pyOrder = pyFields.map((f) => String(f.name)).filter((n) => schemaNames.has(n));
    const schemaOrder = model.fields.map((f) => f.pyName).filter((n) => byName.has(n));
    const first = schemaOrder.findIndex((n, i) => pyOrder[i] !== n);
    if (first >= 0) {
      const node = placed.fields.get(model.fields.find((f) => f.pyName === schemaOrder[first])!.tsName)!;
      report(node, "TP204", `fields are in the order ${pyOrder.join(", ")} in ${name} (state "${model.state}": positions), ${schemaOrder.join(", ")} here`);
    }
  }
}

/** The field's type as the schema file writes it. */
function typeTextOf(node: Node): string {
  const typeNode = (node as Node & { getTypeNode?: () => Node | undefined }).getTypeNode?.();
  return typeNode ? typeNode.getText().replace(/\s+/g, " ") : "?";
}

export function compareEnum(placed: PlacedEnum, py: PythonClass, report: Report): void {
  if (missing(py, placed.node, "enum", report)) return;
  const name = `${py.module}.${py.qualname}`;
  const pyMembers = (py.info!.members ?? []).map((m) => ({ name: String(m.name), value: m.value }));
  const byName = new Map(pyMembers.map((m) => [m.name, m]));
  const schemaValues = new Set(placed.members.map((m) => m.value));
  const claimed = new Set(placed.members.map((m) => m.name));
  const show = (v: unknown) => JSON.stringify(v);
  for (const m of placed.members) {
    const p = byName.get(m.name);
    if (p) {
      if (p.value !== m.value) report(m.node, "TP207", `member '${m.name}' is ${show(p.value)} in ${name}, ${show(m.value)} here`);
      continue;
    }
    // Pickles hold the value, not the name: a member renamed on one side only still loads.
    const sameValue = pyMembers.find((x) => x.value === m.value && !claimed.has(x.name));
    if (!sameValue) report(m.node, "TP206", `member '${m.name}' (${show(m.value)}) is not in ${name} (removed?)`);
  }
  for (const p of pyMembers) {
    // A member whose value changed is TP207 already.
    if (!schemaValues.has(p.value) && !claimed.has(p.name))
      report(placed.node, "TP208", `${name} has member '${p.name}' (${show(p.value)}) that the schema lacks: its pickles cannot load`);
  }
}
