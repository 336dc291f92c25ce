// check --python: one test per drift code (TP2xx), each seeded in its own schema file of
// fixtures/drift/ against the classes of python/myapp/drift.py. The whole directory is checked in one
// run of the command line, so the run also shows every diagnostic reported at once, with exit 1.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { DRIFT_CODES } from "../../generator/diagnostics.ts";
import { cli } from "../support/cli.ts";

const DIR = "test/check-python/fixtures/drift";
const at = (code: string, place: string, message: string) => `${DIR}/${code.toLowerCase()}.ts:${place} - error ${code}: ${message}`;

const EXPECTED: Record<keyof typeof DRIFT_CODES, string[]> = {
  TP201: [at("TP201", "8:3", "field 'score' is 'float' in myapp.drift.User (annotation float), 'int' here")],
  TP202: [at("TP202", "7:3", "field 'zip' is not in myapp.drift.Address (renamed or removed?); Python's fields the schema does not name: 'zip_code'")],
  TP203: [at("TP203", "4:1", "myapp.drift.User has a required field 'age' (annotation int, no default) that the schema lacks")],
  TP204: [at("TP204", "6:3", 'fields are in the order x, y, label in myapp.drift.Point (state "args": positions), y, x, label here')],
  TP205: [at("TP205", "4:1", 'myapp.drift.Pixel pickles with state "slots" in Python (a default instance pickles so), "dict" here')],
  TP206: [at("TP206", "7:3", "member 'BLUE' (\"blue\") is not in myapp.drift.Color (removed?)")],
  TP207: [at("TP207", "6:3", "member 'HIGH' is 2 in myapp.drift.Level, 3 here")],
  TP208: [at("TP208", "4:1", "myapp.drift.Mode has member 'SLOW' (\"slow\") that the schema lacks: its pickles cannot load")],
  // Two classes name the missing module: it is said once.
  TP209: [at("TP209", "4:1", "module myapp.drift_gone cannot be imported by python3: ModuleNotFoundError: No module named 'myapp.drift_gone'")],
  TP210: [at("TP210", "4:1", "module myapp.drift has no class 'Customer'")],
  TP211: [at("TP211", "4:1", "myapp.drift.Color is an enum in Python; declare it with a TypeScript enum and pyenum()")],
  // The loader's own error: the field's path and the byte offset, which differ between protocols.
  TP212: [
    at(
      "TP212",
      "5:1",
      "myapp.drift.Reading() (built from its defaults) pickled at protocol 2 does not load through Reading212's codec: UnpicklingError: Reading.label: expected str, got float 0.0 (offset 26, NEWOBJ)",
    ),
    at(
      "TP212",
      "5:1",
      "myapp.drift.Reading() (built from its defaults) pickled at protocol 5 does not load through Reading212's codec: UnpicklingError: Reading.label: expected str, got float 0.0 (offset 38, NEWOBJ)",
    ),
  ],
};

const run = cli(["check", "--python", "python3", "--schemas", DIR, "--path", "python"]);
const lines = run.stderr.split("\n").filter((l) => l.length > 0);

const test = suite("check --python: one test per drift code");

for (const code of Object.keys(DRIFT_CODES) as (keyof typeof DRIFT_CODES)[]) {
  test(`${code}: ${DRIFT_CODES[code]}`, () => {
    assert.equal(
      lines.filter((l) => l.startsWith(`${DIR}/${code.toLowerCase()}.ts:`)),
      EXPECTED[code],
    );
  });
}

test("every diagnostic at once, in file order, then the count; exit 1", () => {
  const all = Object.values(EXPECTED).flat();
  assert.equal(lines, [...all, `${all.length} drift errors in 10 classes and 3 enums checked against python3`], run.stderr);
  assert.is(run.status, 1);
  assert.is(run.stdout, "");
});

test.run();
