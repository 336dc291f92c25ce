// How observed types unify, and what the draft writes where they do not: Any with a TODO saying what was seen.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyTuple, type PyValue, PyGlobal, PyObject } from "typed-pickle";
import { formatDiagnostic, generate } from "../../generator/generate.ts";
import { draftSchema } from "../../generator/infer/draft.ts";
import { Observer } from "../../generator/infer/observe.ts";
import { schemaSource } from "../../generator/infer/schema-text.ts";
import { type Shape, describe, unify } from "../../generator/infer/unify.ts";
import { REPO } from "../support/cli.ts";

const test = suite("infer: unifying observed types");

const int: Shape = { kind: "int", big: false };
const big: Shape = { kind: "int", big: true };
const float: Shape = { kind: "leaf", name: "float" };
const str: Shape = { kind: "leaf", name: "str" };
const none: Shape = { kind: "none" };

test("int + float → float; a big int → bigint; None + T → T | None; containers' items unified", () => {
  assert.equal(unify(int, float), float);
  assert.equal(unify(int, big), big);
  assert.equal(unify(none, str), { kind: "nullable", inner: str });
  assert.equal(unify(unify(none, int), float), { kind: "nullable", inner: float });
  assert.equal(unify({ kind: "list", item: undefined }, { kind: "list", item: int }), { kind: "list", item: int });
  assert.equal(unify({ kind: "dict", key: str, value: int }, { kind: "dict", key: str, value: none }), { kind: "dict", key: str, value: { kind: "nullable", inner: int } });
  assert.equal(unify({ kind: "tuple", items: [int, str] }, { kind: "tuple", items: [float, str] }), { kind: "tuple", items: [float, str] });
});

test("what does not unify is any, remembering each type seen", () => {
  assert.equal(unify(int, str), { kind: "any", seen: ["int", "str"] });
  assert.equal(unify(unify(int, str), none), { kind: "any", seen: ["int", "str"] });
  assert.equal(describe(unify({ kind: "tuple", items: [int] }, { kind: "tuple", items: [int, int] })), "tuple[int] | tuple[int, int]");
  assert.equal(describe(unify(none, unify(str, { kind: "set", item: int }))), "str | set[int]", "Any holds None (the field's count says how often)");
});

test("the draft: Any with a TODO saying what was seen; a list containing itself ends; it generates", async () => {
  const observer = new Observer();
  const loop: PyValue[] = [];
  loop.push(loop);
  for (const [v, other] of [
    [1n, null],
    ["x", []],
  ] as [PyValue, PyValue][]) {
    const o = new PyObject(new PyGlobal("m", "C"), []);
    o.state = new Map<PyValue, PyValue>([
      ["v", v],
      ["empty", other],
      ["loop", loop],
      ["t", new PyTuple([v])],
      ["d", new Map()],
      ["s", new Set()],
      ["k", new Map([[new PyTuple([1n, 2n]), "a"]])],
    ]);
    observer.observe(o);
  }
  const text = schemaSource(draftSchema(observer, () => assert.unreachable()));
  assert.match(text, /\/\/ seen in 2 of 2 instances\n {2}\/\/ TODO: seen int, str: no one type holds them; Any for now\n {2}@field\(\) v!: Any;/);
  assert.match(text, /\/\/ seen in 2 of 2 instances; None in 1\n {2}\/\/ TODO: nothing seen \(only empty containers\); Any for now\n {2}@field\(\) empty!: Any\[\] \| null;/);
  assert.match(text, /TODO: seen a container that contains itself: no one type holds them; Any for now\n {2}@field\(\) loop!: Any\[\];/);
  assert.match(text, /TODO: seen int, str: no one type holds them; Any for now\n {2}@field\(\) t!: \[Any\];/);
  assert.match(
    text,
    /\/\/ seen in 2 of 2 instances\n {2}\/\/ TODO: nothing seen \(only empty containers\); Any for now\n {2}@field\(\) d!: Map<Any, Any>;/,
    "one TODO however often",
  );
  assert.match(text, /@field\(\) s!: Set<Any>;/);
  assert.match(text, /@field\(\) k!: Map<\[int, int\], string>;/);
  // The generator takes every one of these types.
  const dir = mkdtempSync(join(REPO, "test/infer/run-"));
  try {
    mkdirSync(join(dir, "schemas"));
    writeFileSync(join(dir, "schemas/c.ts"), text);
    const root = relative(REPO, dir);
    const { diagnostics, outputs } = await generate({ root: REPO, schemas: `${root}/schemas`, out: `${root}/generated` });
    assert.equal(diagnostics.map(formatDiagnostic), []);
    assert.equal([...outputs.keys()], [`${root}/generated/c.ts`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
