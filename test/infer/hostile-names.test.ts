// Names from a pickle become TypeScript source in `infer`'s draft: a module, class, attribute or enum
// value made to break out of its string or comment must stay data. A class whose module or name is
// not a plain Python dotted name is left out (with a warning); attribute names and values are
// escaped; names that collide get apart. The draft still generates and loads the hostile pickle.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyGlobal, PyObject, type PyValue, dumps, loads } from "typed-pickle";
import { formatDiagnostic, generate } from "../../generator/generate.ts";
import { inferSchema } from "../../generator/infer/infer.ts";
import { REPO } from "../support/cli.ts";

const test = suite("infer: hostile names in pickles");

const dir = mkdtempSync(join(REPO, "test/infer/run-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const BREAKOUT = '"); process.exit(7); ("';
const instance = (module: string, name: string, state: [string, PyValue][]) => {
  const o = new PyObject(new PyGlobal(module, name), []);
  o.state = new Map<PyValue, PyValue>(state);
  return o;
};
const enumMember = (module: string, name: string, value: string) => new PyObject(new PyGlobal(module, name), [value], null, "reduce");

const fine = instance("myapp.ok", "Fine", [
  ['a"b\n*/ c', 1n],
  ["constructor", "s"],
  ["x-y", 1.5],
  ["\u2028", true],
  ["mood", enumMember("myapp.ok", "Mood", `*/\nprocess.exit(1)//${BREAKOUT}`)],
  ["same", instance("myapp.other", "Fine", [["v", 1n]])],
]);
const evil = instance(`evil${BREAKOUT}`, "X", [["v", 1n]]);

test("no name or value becomes code; the hostile class is left out; the draft generates and loads the pickle", async () => {
  const data = dumps(fine, { protocol: 4 });
  mkdirSync(join(dir, "pickles"));
  writeFileSync(join(dir, "pickles/h.pkl"), Buffer.concat([data, dumps(evil, { protocol: 4 })]));
  const result = await inferSchema([join(dir, "pickles")], join(REPO, "schemas/x.ts"));
  assert.equal(result.warnings.length, 1);
  assert.match(result.warnings[0]!, /left out: its module and name must be plain Python identifiers/);
  const text = result.text;
  // The only calls in the draft are the decorators and pyenum().
  const source = ts.createSourceFile("draft.ts", text, ts.ScriptTarget.ES2022, true);
  const calls: string[] = [];
  const visit = (n: ts.Node) => {
    if (ts.isCallExpression(n)) calls.push(n.expression.getText(source));
    ts.forEachChild(n, visit);
  };
  visit(source);
  assert.equal([...new Set(calls)].sort(), ["field", "pyclass", "pyenum"]);
  assert.not.match(text, /^[^/]*process\.exit/m, "only in comments and string literals");
  assert.ok(text.includes(`@field({ name: 'a"b\\n*/ c' }) a_b____c!: int;`), "escaped in a string literal; a plain identifier");
  assert.ok(text.includes(`@field({ name: "\\u2028" }) _!: boolean;`), "a line separator escaped");
  assert.match(text, /@field\(\{ name: "constructor" \}\) constructor2!: string;/);
  assert.match(text, /@field\(\{ name: "x-y" \}\) x_y!: float;/);
  assert.not.match(text, /evil/);
  // The two classes named Fine: each gets its module's name.
  assert.match(text, /@pyclass\("myapp\.ok", "Fine"\)\nexport class OkFine \{/);
  assert.match(text, /@pyclass\("myapp\.other", "Fine"\)\nexport class OtherFine \{/);

  const schema = join(dir, "schemas/hostile.ts");
  mkdirSync(dirname(schema), { recursive: true });
  writeFileSync(schema, text);
  const rel = (p: string) => p.slice(REPO.length);
  const { diagnostics, outputs } = await generate({ root: REPO, schemas: rel(join(dir, "schemas")), out: rel(join(dir, "generated")) });
  assert.equal(diagnostics.map(formatDiagnostic), []);
  for (const [path, out] of outputs) {
    mkdirSync(dirname(join(REPO, path)), { recursive: true });
    writeFileSync(join(REPO, path), out);
  }
  const codecs = await import(pathToFileURL(join(dir, "generated/hostile.ts")).href);
  const back = codecs.dumpsOkFine(codecs.loadsOkFine(data), { protocol: 4 });
  assert.equal(loads(back, { mode: "opaque" }), loads(data, { mode: "opaque" }));
});

test.run();
