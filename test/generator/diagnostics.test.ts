// Schema diagnostics: one test per code, in compiler form (file:line:col - error CODE: message),
// and TypeScript's own errors before any of them.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { SCHEMA_CODES as CODES } from "../../generator/diagnostics.ts";
import { formatDiagnostic, generate } from "../../generator/generate.ts";
import { cli, REPO } from "../support/cli.ts";

const FIXTURES = "test/generator/fixtures";
const run = async (name: string) => generate({ root: REPO, schemas: `${FIXTURES}/${name}`, out: `${FIXTURES}/${name}/out` });
const lines = async (name: string) => (await run(name)).diagnostics.map(formatDiagnostic);
const file = (name: string) => `${FIXTURES}/${name}/schema.ts`;

const EXPECTED: Record<keyof typeof CODES, string> = {
  TP101: `${file("tp101")}:4:1 - error TP101: @pyclass takes the Python module and class name as string literals: @pyclass("myapp.models", "User")`,
  TP102: `${file("tp102")}:5:22 - error TP102: field 'pattern' has type 'RegExp', which has no Python counterpart`,
  TP103: `${file("tp103")}:5:3 - error TP103: @field must decorate an instance property`,
  TP104: `${file("tp104")}:6:18 - error TP104: field 'age' has type 'number'; use int or float`,
  TP105: `${file("tp105")}:6:3 - error TP105: field 'second' has Python name 'value', as another field of Thing does`,
  TP106: `${file("tp106")}:5:19 - error TP106: field 'when' has type 'Date', which holds milliseconds only; use datetime (microseconds, tzinfo, fold)`,
  TP107: `${file("tp107")}:3:28 - error TP107: unknown state "weird" in @pyclass options; state is one of "dict" | "slots" | "tuple" | "args" | "reduce" | "pydantic"`,
  TP108: `${file("tp108")}:5:3 - error TP108: @afterLoad must decorate one method without parameters`,
  TP109: `${file("tp109")}:4:3 - error TP109: enum member 'SMALL' needs a string or number literal value (the Python member's value)`,
  TP110: `${file("tp110")}:5:20 - error TP110: field 'value' has type 'string | int'; only T | null (Optional) unions are supported`,
  TP111: `${file("tp111")}:7:20 - error TP111: field 'inner' has class type 'Plain', which is not a @pyclass`,
  TP112: `${file("tp112")}:6:3 - error TP112: field 'value' is optional, but state "args" has a fixed number of positions`,
  TP113: `${file("tp113")}:7:27 - error TP113: the initializer uses 'DEFAULT_NAME', which ${file("tp113")} does not export`,
  TP114: `${file("tp114")}:7:1 - error TP114: pyenum() takes a TypeScript enum and two string literals: pyenum(Color, "module", "Color")`,
};

const test = suite("schema diagnostics");

for (const code of Object.keys(CODES) as (keyof typeof CODES)[]) {
  test(`${code}: ${CODES[code]}`, async () => {
    assert.equal(await lines(code.toLowerCase()), [EXPECTED[code]]);
  });
}

test("TP101 for @pyclass options that are not written out, naming the option", async () => {
  assert.equal(await lines("tp101-options"), [
    `${file("tp101-options")}:7:35 - error TP101: @pyclass option 'state' must be a string literal ("dict" | "slots" | "tuple" | "args" | "reduce" | "pydantic"), not 'MODE'`,
    `${file("tp101-options")}:10:32 - error TP101: @pyclass options must be written out as an object literal, such as { state: "slots" }; 'OPTIONS' is not one`,
    `${file("tp101-options")}:13:29 - error TP101: @pyclass option '...OPTIONS' must be written as name: "literal", such as state: "slots"`,
  ]);
});

test("TP104 once per field, naming the tuple position or the type around the number", async () => {
  assert.equal(await lines("tp104-nested"), [
    `${file("tp104-nested")}:6:25 - error TP104: field 'pair' has type 'number' at tuple[int, number] position 1; use int or float`,
    `${file("tp104-nested")}:7:22 - error TP104: field 'triple' has type 'number' at tuple[number, string, number] positions 0, 2; use int or float`,
    `${file("tp104-nested")}:8:33 - error TP104: field 'counts' has type 'number' in number[]; use int or float`,
    `${file("tp104-nested")}:9:20 - error TP104: field 'maybe' has type 'number'; use int or float`,
  ]);
});

test("TP102 for read-only list types, saying what to write instead", async () => {
  const hint = "a Python list loads as a new mutable array, so declare it as an array type (T[])";
  assert.equal(await lines("tp102-readonly"), [
    `${file("tp102-readonly")}:7:20 - error TP102: field 'names' has type 'ReadonlyArray<string>'; ${hint}`,
    `${file("tp102-readonly")}:8:19 - error TP102: field 'tags' has type 'readonly string[]'; ${hint}`,
  ]);
});

test("TypeScript errors in the schemas come first, alone", async () => {
  const out = await lines("ts-error");
  assert.equal(out, [`${file("ts-error")}:7:7 - error TS2322: Type 'number' is not assignable to type 'string'.`]);
});

test("renamed imports of decorators and aliases are recognised", async () => {
  const result = await run("renamed-import");
  assert.equal(result.diagnostics, []);
  const [text] = [...result.outputs.values()];
  assert.match(text!, /count: T\.int,/);
});

test("the command: exit 1 with every diagnostic on stderr", () => {
  const r = cli(["generate", "--schemas", `${FIXTURES}/tp104`, "--out", `${FIXTURES}/tp104/out`]);
  assert.is(r.status, 1);
  assert.is(r.stderr, `${EXPECTED.TP104}\n1 error\n`);
  assert.is(cli(["generate", "--check", "--watch"]).status, 2, "usage errors exit 2");
});

test.run();
