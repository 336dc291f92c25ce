// The observed type of a value, and how two observations unify into the type that holds both:
// int + float → float, an int beyond ±2^53 → bigint, None + T → T | None, container items unified,
// anything else → "any", which remembers what was seen (the draft's TODO says it).

/** The leaf types that need nothing but their name. */
export type LeafName = "str" | "bool" | "float" | "bytes" | "bytearray" | "datetime" | "date" | "time" | "timedelta" | "Decimal" | "UUID";

export type Shape =
  | { kind: "none" }
  | { kind: "leaf"; name: LeafName }
  /** `big`: a value beyond ±2^53 was seen (a JS number cannot hold it). */
  | { kind: "int"; big: boolean }
  /** `item` undefined: only empty containers were seen. */
  | { kind: "list" | "set" | "frozenset"; item: Shape | undefined }
  | { kind: "dict"; key: Shape | undefined; value: Shape | undefined }
  | { kind: "tuple"; items: Shape[] }
  /** An instance of a class, by its `module.qualname` (the class itself is observed once, elsewhere). */
  | { kind: "class"; key: string }
  | { kind: "nullable"; inner: Shape }
  /** Not unifiable: `seen` says what was. */
  | { kind: "any"; seen: string[] };

/** A shape in Python's words, for the TODO comments. */
export function describe(s: Shape): string {
  switch (s.kind) {
    case "none":
      return "None";
    case "leaf":
      return s.name;
    case "int":
      return "int";
    case "list":
    case "set":
    case "frozenset":
      return s.item === undefined ? s.kind : `${s.kind}[${describe(s.item)}]`;
    case "dict":
      return s.key === undefined || s.value === undefined ? "dict" : `dict[${describe(s.key)}, ${describe(s.value)}]`;
    case "tuple":
      return `tuple[${s.items.map(describe).join(", ")}]`;
    case "class":
      return s.key;
    case "nullable":
      return `${describe(s.inner)} | None`;
    case "any":
      return s.seen.join(" | ");
  }
}

/** What each side stands for, for an "any" (nested anys merged, duplicates dropped). */
const seenIn = (s: Shape): string[] => (s.kind === "any" ? s.seen : s.kind === "nullable" ? [...seenIn(s.inner), "None"] : [describe(s)]);

const anyOf = (a: Shape, b: Shape): Shape => ({ kind: "any", seen: [...new Set([...seenIn(a), ...seenIn(b)])] });

/** The items of two containers: undefined (nothing seen yet) unifies with anything. */
const unifyItems = (a: Shape | undefined, b: Shape | undefined): Shape | undefined => (a === undefined ? b : b === undefined ? a : unify(a, b));

/** The type that holds every value of `a` and of `b`. */
export function unify(a: Shape, b: Shape): Shape {
  if (a.kind === "none") return b.kind === "none" || b.kind === "nullable" || b.kind === "any" ? b : { kind: "nullable", inner: b };
  if (b.kind === "none") return unify(b, a);
  if (a.kind === "nullable" || b.kind === "nullable") {
    const inner = unify(a.kind === "nullable" ? a.inner : a, b.kind === "nullable" ? b.inner : b);
    return inner.kind === "any" ? anyOf(inner, { kind: "none" }) : { kind: "nullable", inner };
  }
  if (a.kind === "any" || b.kind === "any") return anyOf(a, b);
  if (a.kind === "int" && b.kind === "int") return { kind: "int", big: a.big || b.big };
  const numeric = (s: Shape) => s.kind === "int" || (s.kind === "leaf" && s.name === "float");
  if (numeric(a) && numeric(b)) return { kind: "leaf", name: "float" };
  if (a.kind === "leaf" && b.kind === "leaf" && a.name === b.name) return a;
  if ((a.kind === "list" || a.kind === "set" || a.kind === "frozenset") && b.kind === a.kind) return { kind: a.kind, item: unifyItems(a.item, b.item) };
  if (a.kind === "dict" && b.kind === "dict") return { kind: "dict", key: unifyItems(a.key, b.key), value: unifyItems(a.value, b.value) };
  if (a.kind === "tuple" && b.kind === "tuple" && a.items.length === b.items.length) return { kind: "tuple", items: a.items.map((x, i) => unify(x, b.items[i]!)) };
  if (a.kind === "class" && b.kind === "class" && a.key === b.key) return a;
  return anyOf(a, b);
}
