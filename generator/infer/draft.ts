// From observations to a schema draft: TypeScript names for the Python classes, attributes and enum
// members (valid, unique, not shadowing the file's imports), a state form per class, a type per
// field with the comments that give its counts, and a TODO wherever the pickles did not say enough.
import type { StateForm } from "../../runtime/typed/decorators.ts";
import type { PickledForm } from "../../runtime/typed/state-forms.ts";
import type { ClassObservation, FieldObservation, Observer } from "./observe.ts";
import type { SchemaClass, SchemaEnum, SchemaField, SchemaModel, SchemaType } from "./schema-model.ts";
import type { Shape } from "./unify.ts";

/** A Python dotted name (module, or qualname) made of plain ASCII identifiers: anything else is refused. */
export const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Names a class or enum may not take: the file's imports, TypeScript's types and its reserved words. */
export const TAKEN = new Set(
  (
    "pyclass field pyenum afterLoad int float bytes bytearray datetime date time timedelta Decimal UUID Any frozenset " +
    "string number boolean bigint symbol object unknown never any undefined void null Set Map Array Record Uint8Array Float64Array Date Object Function Promise " +
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new " +
    "return super switch this throw true try typeof var while with implements interface let package private protected public static yield await type"
  ).split(" "),
);

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, noun: string) => `${count(n)} ${noun}${n === 1 ? "" : "s"}`;

/** `zip_code` → `zipCode`; characters no identifier may hold become `_`; a leading digit gets `_`. */
export function camelCase(python: string): string {
  const lead = /^_*/.exec(python)![0];
  const camel = lead + python.slice(lead.length).replace(/_+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
  const safe = camel.replace(/[^A-Za-z0-9_$]/g, "_") || "_";
  return /^[0-9]/.test(safe) ? "_" + safe : safe;
}

/** A name not yet in `taken` (and now in it): `name`, else `name2`, `name3`, … */
export function unique(name: string, taken: Set<string>): string {
  let n = name;
  for (let i = 2; taken.has(n); i++) n = `${name}${i}`;
  taken.add(n);
  return n;
}

export const pascal = (s: string) => s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase()).replace(/_/g, "");

/** The state form most instances were in ("empty" ones read as any form but tuple). */
function stateOf(c: ClassObservation, comments: string[]): StateForm {
  const forms = [...c.forms].filter((e): e is [Exclude<PickledForm, "empty">, number] => e[0] !== "empty").sort((a, b) => b[1] - a[1]);
  const chosen = forms[0]?.[0] ?? "dict";
  if (forms.length > 1) comments.push(`TODO: instances in several state forms (${forms.map(([f, n]) => `${f}: ${count(n)}`).join(", ")}); the draft takes ${chosen}`);
  if (chosen === "custom" || chosen === "none") {
    comments.push(
      `TODO: pickled in a form no schema class reads (${chosen === "custom" ? "a custom __getstate__'s state" : "list/dict items or keyword arguments"}); drafted as "dict"`,
    );
    return "dict";
  }
  return chosen;
}

const POSITIONAL = new Set<StateForm>(["tuple", "args", "reduce"]);

/** The classes whose module and qualname are plain Python dotted names; `warn` hears of the others, left out. */
export function withPlainNames<C extends { module: unknown; qualname: unknown }>(
  classes: readonly C[],
  warn: (message: string) => void,
): (C & { module: string; qualname: string })[] {
  return classes.filter((c): c is C & { module: string; qualname: string } => {
    if (typeof c.module === "string" && typeof c.qualname === "string" && DOTTED.test(c.module) && DOTTED.test(c.qualname)) return true;
    warn(`class ${JSON.stringify(c.module)}.${JSON.stringify(c.qualname)} left out: its module and name must be plain Python identifiers`);
    return false;
  });
}

/**
 * Each class's TypeScript name, by `module.qualname`: its own, prefixed with the module's last part
 * where two modules have one name, `Py`-prefixed where it would shadow a name the file uses.
 */
export function classNames(classes: readonly { module: string; qualname: string }[]): Map<string, string> {
  const tsNames = new Map<string, string>();
  const taken = new Set(TAKEN);
  const byName = new Map<string, number>();
  for (const c of classes) byName.set(c.qualname, (byName.get(c.qualname) ?? 0) + 1);
  for (const c of classes) {
    const own = pascal(c.qualname.replace(/\./g, "_")) || "Class";
    const name = byName.get(c.qualname)! > 1 ? pascal(c.module.split(".").pop()!) + own : own;
    tsNames.set(`${c.module}.${c.qualname}`, unique(TAKEN.has(name) ? `Py${name}` : name, taken));
  }
  return tsNames;
}

/** Builds the schema draft of everything `observer` saw; `warn` hears about what was left out. */
export function draftSchema(observer: Observer, warn: (message: string) => void): SchemaModel {
  const kept = withPlainNames([...observer.classes.values()], warn);
  const tsNames = classNames(kept);
  // An enum only where every instance was enum-like (a one-value __reduce__ class with other instances is a class).
  const enumClasses = new Set(kept.filter((c) => c.enumLike === c.instances).map((c) => `${c.module}.${c.qualname}`));

  const typeOf = (s: Shape | undefined, todo: string[]): SchemaType => {
    const any = (why: string): SchemaType => (todo.push(why), { kind: "named", name: "Any" });
    if (s === undefined) return any("TODO: nothing seen (only empty containers); Any for now");
    switch (s.kind) {
      case "none":
        return any("TODO: only None seen; Any for now");
      case "int":
        return { kind: "named", name: s.big ? "bigint" : "int" };
      case "leaf":
        return { kind: "named", name: s.name === "str" ? "string" : s.name === "bool" ? "boolean" : s.name };
      case "list":
      case "set":
      case "frozenset":
        return { kind: s.kind, item: typeOf(s.item, todo) };
      case "dict":
        return { kind: "map", key: typeOf(s.key, todo), value: typeOf(s.value, todo) };
      case "tuple":
        return { kind: "tuple", items: s.items.map((x) => typeOf(x, todo)) };
      case "class": {
        const name = tsNames.get(s.key);
        return name === undefined ? any(`TODO: ${s.key} is left out (not a plain Python name)`) : { kind: "ref", name };
      }
      case "nullable": {
        const inner = typeOf(s.inner, todo);
        return inner.kind === "named" && inner.name === "Any" ? inner : { kind: "nullable", inner };
      }
      case "any":
        return any(`TODO: seen ${s.seen.join(", ")}: no one type holds them; Any for now`);
    }
  };

  const enums: SchemaEnum[] = [];
  const classes: SchemaClass[] = [];
  for (const c of kept) {
    const key = `${c.module}.${c.qualname}`;
    const name = tsNames.get(key)!;
    if (enumClasses.has(key)) {
      const members = new Set<string>();
      enums.push({
        name,
        module: c.module,
        qualname: c.qualname,
        comments: [
          `${plural(c.enumValues.length, "value")} seen (in ${plural(c.instances, "instance")}); members named from their values (a pickle holds the value only): rename them freely`,
        ],
        members: c.enumValues.map((v) => ({
          name: unique(
            camelCase(String(v))
              .toUpperCase()
              .replace(/^_(?=[0-9])/, "V"),
            members,
          ),
          value: typeof v === "bigint" ? Number(v) : String(v),
        })),
      });
      continue;
    }
    const comments = [`seen ${plural(c.instances, "time")}`];
    const state = stateOf(c, comments);
    const positional = POSITIONAL.has(state);
    if (positional && c.lengths.size > 1) comments.push(`TODO: instances with ${[...c.lengths].join(", ")} values: the draft has one field per position seen`);
    if (positional) comments.push("the pickle holds values by position only: name the fields freely, keeping their order");
    if (c.oddKeys > 0) comments.push(`TODO: ${count(c.oddKeys)} attribute keys that are not str were left out`);
    const fieldNames = new Set<string>(["constructor"]);
    const fields = [...c.fields].map(([python, f]): SchemaField => {
      const tsName = unique(positional ? `arg${python}` : camelCase(python), fieldNames);
      const todo: string[] = [];
      const type = typeOf(f.shape, todo);
      return {
        name: tsName,
        pythonName: positional || tsName === python ? undefined : python,
        type,
        optional: !positional && f.seen < c.instances,
        comments: [counts(f, c), ...new Set(todo)],
      };
    });
    classes.push({ name, module: c.module, qualname: c.qualname, state, comments, fields });
  }
  return { header: ["Drafted by `typed-pickle infer` from pickles (read as data: nothing in them was called). Check every TODO."], enums, classes };
}

/** "seen in 9,812 of 10,000 instances; None in 3,004". */
function counts(f: FieldObservation, c: ClassObservation): string {
  return `seen in ${count(f.seen)} of ${count(c.instances)} instance${c.instances === 1 ? "" : "s"}` + (f.none > 0 ? `; None in ${count(f.none)}` : "");
}
