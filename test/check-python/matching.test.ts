// check --python reports nothing on schemas that match their Python classes: a hand-written one covering
// every kind (dataclass, NamedTuple, Enum/IntEnum/StrEnum, slots, a tuple __getstate__, pydantic, nested
// and cyclic classes), the schema import-python drafts from the same module, and the repository's own
// schemas/ against python/myapp.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { checkPython } from "../../generator/check-python/check-python.ts";
import { format } from "../../generator/diagnostics.ts";
import { importPython } from "../../generator/import-python/import-python.ts";
import { REPO } from "../support/cli.ts";

const test = suite("check --python: matching schemas report nothing");

const check = (schemas: string) => checkPython({ root: REPO, schemas, python: "python3", path: ["python"] });
const diagnostics = (result: ReturnType<typeof check>) => result.diagnostics.map(format).join("\n");

test("a hand-written schema of every kind: no drift, and every class built from its defaults loads through its codec", () => {
  const result = check("test/check-python/fixtures/matching");
  assert.is(diagnostics(result), "");
  assert.is(result.schemaErrors, false);
  assert.equal([result.classes, result.enums], [9, 3]);
  // Address, Pixel, Slotted, Reading (its __getstate__ tuple), Item (pydantic), Node (cyclic), Loose: User and Point need arguments.
  assert.is(result.roundTrips, 7);
});

test("the schema import-python drafts from the module reports nothing against it", async () => {
  const dir = mkdtempSync(join(REPO, "test/check-python/run-"));
  try {
    const draft = await importPython(["myapp.drift"], { python: "python3", path: ["python"], cwd: REPO }, join(dir, "drift.ts"));
    writeFileSync(join(dir, "drift.ts"), draft.text);
    const result = check(relative(REPO, dir));
    assert.is(diagnostics(result), "", draft.text);
    assert.equal([result.classes, result.enums, result.roundTrips], [9, 3, 7]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the repository's schemas/ match python/myapp (plain classes without annotations: their state form and enums are what can be compared)", () => {
  const result = check("schemas");
  assert.is(diagnostics(result), "");
  assert.ok(result.classes > 0 && result.enums > 0);
});

test.run();
