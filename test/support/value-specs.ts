// Random Python values for property tests, described in the tagged JSON form (python/tagged.py's
// from_tagged builds the real value). Sharing and cycles are added afterwards with "id"/"ref".
import fc from "fast-check";

export type Spec = { [k: string]: unknown };

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const pyFloat = (x: number) => {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (Object.is(x, -0)) return "-0.0";
  return x.toExponential(); // Python's float() reads it exactly
};

/** Strings that mix ASCII, Latin-1, CJK, astral characters and lone surrogates. */
export const pyString = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 1 }) },
    { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.integer({ min: 0x100, max: 0xd7ff }).map((c) => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)) },
    { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)) },
  ),
  maxLength: 12,
});

export const pyInt = fc.oneof(
  fc.integer({ min: -300, max: 300 }).map(BigInt),
  fc.bigInt({ min: -(1n << 31n), max: 1n << 31n }),
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
  fc.bigInt({ min: -(1n << 2100n), max: 1n << 2100n }),
  fc.constantFrom(2n ** 31n, -(2n ** 31n), 2n ** 31n - 1n, 2n ** 63n, -(2n ** 63n), 2n ** 64n, 255n, 256n, 65535n, 65536n, -1n),
);

const finiteOrSpecial = fc.oneof(fc.double(), fc.constantFrom(0, -0, Infinity, -Infinity, 1e16, 1e-5, 0.1, 5e-324, 1.7976931348623157e308));

const date = fc.record({ y: fc.integer({ min: 1, max: 9999 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) });
const time = fc.record({ h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }), us: fc.integer({ min: 0, max: 999_999 }) });
const p2 = (n: number, w = 2) => String(n).padStart(w, "0");
const isoDate = (d: { y: number; m: number; d: number }) => `${p2(d.y, 4)}-${p2(d.m)}-${p2(d.d)}`;
const isoTime = (t: { h: number; mi: number; s: number; us: number }) => `${p2(t.h)}:${p2(t.mi)}:${p2(t.s)}.${p2(t.us, 6)}`;

const timezone: fc.Arbitrary<Spec> = fc.oneof(
  fc.constant({ timezone: [0, 0, 0] }),
  fc.integer({ min: -86399, max: 86399 }).chain((secs) =>
    fc.option(pyString, { nil: undefined }).map((name) => {
      const days = Math.floor(secs / 86400);
      const spec: Spec = { timezone: [days, secs - days * 86400, 0] };
      if (name !== undefined) spec.name = name;
      return spec;
    }),
  ),
  fc.constantFrom({ zoneinfo: "UTC" }, { zoneinfo: "Europe/Paris" }, { zoneinfo: "America/New_York" }),
);

/** Hashable leaves: what may be a dict key or set member (NaN and -0.0 included: see PyFloat). */
const hashableLeaf: fc.Arbitrary<Spec> = fc.oneof(
  fc.constant({ none: null }),
  fc.boolean().map((b) => ({ bool: b })),
  pyInt.map((i) => ({ int: i.toString() })),
  finiteOrSpecial.map((x) => ({ float: pyFloat(x) })),
  fc.constant({ float: "nan" }),
  pyString.map((s) => ({ str: s })),
  fc.uint8Array({ maxLength: 8 }).map((b) => ({ bytes: hex(b) })),
);

/** Leaves of any kind, standard-library values included. */
const leaf: fc.Arbitrary<Spec> = fc.oneof(
  { weight: 8, arbitrary: hashableLeaf },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }).map((b) => ({ bytearray: hex(b) })) },
  { weight: 1, arbitrary: fc.tuple(finiteOrSpecial, finiteOrSpecial).map(([a, b]) => ({ complex: [pyFloat(a), pyFloat(b)] })) },
  {
    weight: 1,
    arbitrary: fc.tuple(date, time, fc.option(timezone, { nil: undefined }), fc.boolean()).map(([d, t, tz, fold]) => {
      const spec: Spec = { datetime: `${isoDate(d)}T${isoTime(t)}` };
      if (tz) spec.tzinfo = tz;
      if (fold) spec.fold = 1;
      return spec;
    }),
  },
  { weight: 1, arbitrary: date.map((d) => ({ date: isoDate(d) })) },
  { weight: 1, arbitrary: fc.tuple(time, fc.option(timezone, { nil: undefined })).map(([t, tz]) => (tz ? { time: isoTime(t), tzinfo: tz } : { time: isoTime(t) })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: -999_999_999, max: 999_999_999 }), fc.integer({ min: 0, max: 86399 }), fc.integer({ min: 0, max: 999_999 }))
      .map((t) => ({ timedelta: t })),
  },
  { weight: 1, arbitrary: timezone },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => ({ decimal: `${m}E${e}` })),
      fc.constantFrom("3.14", "-0", "0.000", "NaN", "Infinity", "-Infinity", "1E+5").map((d) => ({ decimal: d })),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((i) => ({
      uuid: i
        .toString(16)
        .padStart(32, "0")
        .replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-"),
    })),
  },
);

const { hashable } = fc.letrec<{ hashable: Spec; htuple: Spec; hfrozen: Spec }>((tie) => ({
  hashable: fc.oneof({ depthSize: "small", withCrossShrink: true }, hashableLeaf, tie("htuple"), tie("hfrozen")),
  htuple: fc.array(tie("hashable"), { maxLength: 4 }).map((items) => ({ tuple: items })),
  hfrozen: fc.array(tie("hashable"), { maxLength: 4 }).map((items) => ({ frozenset: items })),
}));

const { value } = fc.letrec<{ value: Spec; list: Spec; tuple: Spec; dict: Spec; odict: Spec; set: Spec; frozenset: Spec }>((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("list"), tie("tuple"), tie("dict"), tie("odict"), tie("set"), tie("frozenset")),
  list: fc.array(tie("value"), { maxLength: 6 }).map((items) => ({ list: items })),
  tuple: fc.array(tie("value"), { maxLength: 4 }).map((items) => ({ tuple: items })),
  dict: fc.array(fc.tuple(hashable, tie("value")), { maxLength: 5 }).map((pairs) => ({ dict: pairs })),
  odict: fc.array(fc.tuple(hashable, tie("value")), { maxLength: 3 }).map((pairs) => ({ ordereddict: pairs })),
  set: fc.array(hashable, { maxLength: 5 }).map((items) => ({ set: items })),
  frozenset: fc.array(hashable, { maxLength: 5 }).map((items) => ({ frozenset: items })),
}));

/** Containers at the batching edges: 1, 1000·k and 1000·k+1 items. */
const sized = fc.constantFrom(1, 999, 1000, 1001, 2000, 2001).chain((n) =>
  fc.constantFrom("list", "dict", "set").map((kind) => {
    const ints = Array.from({ length: n }, (_, i) => ({ int: String(i) }));
    if (kind === "list") return { list: ints };
    if (kind === "set") return { set: ints };
    return { dict: ints.map((k) => [k, { none: null }]) };
  }),
);

/**
 * Adds sharing and cycles: some list items, tuple items and dict values become refs to a container
 * that came earlier (a DAG) or to an enclosing list, dict or tuple (a cycle). Refs never go where a
 * hashable value is needed (keys, set members).
 */
export function addSharing(root: Spec, rand: () => number, rate: number): Spec {
  let labels = 0;
  const done: Spec[] = [];
  const label = (n: Spec) => (n.id ??= `n${labels++}`) as string;
  const shareable = (n: Spec) => ["list", "dict", "tuple", "set", "frozenset", "bytearray", "ordereddict"].some((k) => k in n) && !(Array.isArray(n.tuple) && n.tuple.length === 0);
  const walk = (n: Spec, ancestors: Spec[]) => {
    const slots: [unknown[], number][] = [];
    if (Array.isArray(n.list)) for (let i = 0; i < n.list.length; i++) slots.push([n.list, i]);
    if (Array.isArray(n.tuple)) for (let i = 0; i < n.tuple.length; i++) slots.push([n.tuple, i]);
    for (const key of ["dict", "ordereddict"]) if (Array.isArray(n[key])) for (const pair of n[key] as unknown[][]) slots.push([pair, 1]);
    const inMutable = "list" in n || "dict" in n || "ordereddict" in n;
    for (const [arr, i] of slots) {
      const child = arr[i] as Spec;
      if (rand() < rate) {
        const cycleTargets = inMutable ? [...ancestors, n].filter((a) => "list" in a || "dict" in a || "tuple" in a) : [];
        const targets = [...done, ...cycleTargets];
        if (targets.length > 0) {
          arr[i] = { ref: label(targets[Math.floor(rand() * targets.length)]!) };
          continue;
        }
      }
      walk(child, [...ancestors, n]);
    }
    if (shareable(n)) done.push(n);
  };
  walk(root, []);
  return root;
}

/** Root values: nested values mostly, sometimes a container at a batching edge. */
export const rootSpec: fc.Arbitrary<Spec> = fc.oneof({ weight: 100, arbitrary: value }, { weight: 1, arbitrary: sized });

/** `count` random root specs for `seed`, a third of them with shared values and cycles added. */
export function sampleSpecs(count: number, seed: number): Spec[] {
  const specs = fc.sample(rootSpec, { numRuns: count, seed });
  let state = seed;
  const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return specs.map((s, i) => addSharing(s, rand, i % 3 === 0 ? 0.3 : 0));
}
