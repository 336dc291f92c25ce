// Names from a Python module become TypeScript source in import-python's schema: a class, attribute
// or enum member named to break out of its string or comment must stay data. A class whose name is not
// a plain Python identifier is refused (with a warning, its uses become Any); attribute names and enum
// values are escaped; the schema still generates, and importing it runs nothing it should not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { formatDiagnostic, generate } from "../../generator/generate.ts";
import { importPython } from "../../generator/import-python/import-python.ts";
import { REPO } from "../support/cli.ts";

const test = suite("import-python: hostile names in a Python module");

const dir = mkdtempSync(join(REPO, "test/import-python/run-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const BREAKOUT = '"); process.exit(7); ("';

const MODULE = `
import enum

Evil = type(${JSON.stringify(`Ev${BREAKOUT}il`)}, (), {"__init__": lambda self: None, "__annotations__": {"x": int}})
Mood = enum.Enum("Mood", {${JSON.stringify(`x${BREAKOUT}`)}: ${JSON.stringify(`*/\nprocess.exit(1)//${BREAKOUT}`)}, "ok": "fine"})


class Fine:
    def __init__(self):
        pass


Fine.__annotations__ = {${JSON.stringify('a"b\n*/ c')}: int, "constructor": str, "mood": Mood, "evil": Evil, "tag": str}
Fine.tag = ${JSON.stringify(BREAKOUT)}
`;

test("no name or value becomes code; the hostile class is refused; the schema generates and imports", async () => {
  writeFileSync(join(dir, "evilmod.py"), MODULE);
  const result = await importPython(["evilmod"], { python: "python3", path: [dir], cwd: REPO }, join(REPO, "schemas/x.ts"));
  const t = result.text;
  assert.ok(
    result.warnings.some((w) => w.includes("left out: its module and name must be plain Python identifiers")),
    result.warnings.join("\n"),
  );
  assert.is(result.classes, 1);
  assert.is(result.enums, 1);
  assert.ok(t.includes(`@field({ name: 'a"b\\n*/ c' }) a_b____c!: int;`), "the attribute's name stays a string");
  assert.ok(t.includes(`@field({ name: "constructor" }) constructor2!: string;`), "a member name TypeScript reserves");
  assert.ok(t.includes(`  x____process_exit_7_____ = '*/\\nprocess.exit(1)//"); process.exit(7); ("',`), "the enum member and its value");
  assert.ok(t.includes(`@field() tag: string = '"); process.exit(7); ("';`), "a default stays a string literal");
  assert.ok(t.includes(`  // TODO: evilmod.Ev"); process.exit(7); ("il is left out (not a plain Python name); Any for now\n  @field() evil!: Any;`));
  // Outside string literals and comments, no line holds the payload.
  const code = t
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("//"))
    .map((line) => line.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""'));
  assert.not.ok(
    code.some((line) => line.includes("process.exit")),
    t,
  );

  mkdirSync(join(dir, "schemas"), { recursive: true });
  writeFileSync(join(dir, "schemas/evil.ts"), t);
  const rel = dir.slice(REPO.length);
  const { diagnostics } = await generate({ root: REPO, schemas: `${rel}/schemas`, out: `${rel}/generated` });
  assert.equal(diagnostics.map(formatDiagnostic), []);
  const schema = await import(pathToFileURL(join(dir, "schemas/evil.ts")).href);
  assert.is(schema.Mood.ok, "fine");
  assert.is(Object.values(schema.Mood).filter((v) => typeof v === "string" && v.startsWith("*/\nprocess.exit(1)//")).length, 1);
});

test.run();
