// `typed-pickle convert`: a file of pickles rewritten at another protocol is what CPython writes.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { cli } from "../support/cli.ts";
import { runPython } from "../support/python.ts";

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-convert-"));
const input = join(dir, "in.pkl");
// Six pickles, one per protocol; and what CPython writes for the same values at protocol 2 and 5.
const expected = JSON.parse(
  runPython([
    "-c",
    `
import datetime, decimal, json, pickle, sys
values = [{'p': p, 'when': datetime.datetime(2024, 1, 2, 3, 4, 5, 6, tzinfo=datetime.timezone.utc),
           'bytes': b'xy', 'set': {1, 2}, 'price': decimal.Decimal('9.99'), 'tags': ['a', 'b', 'a']} for p in range(6)]
with open(sys.argv[1], 'wb') as f:
    for p, v in enumerate(values):
        pickle.dump(v, f, protocol=p)
print(json.dumps({str(p): b''.join(pickle.dumps(v, p) for v in values).hex() for p in (2, 5)}))
`,
    input,
  ]),
);

const test = suite("convert");

test("every pickle of a file, rewritten at protocol 2 and 5, is CPython's bytes", () => {
  for (const p of [2, 5]) {
    const output = join(dir, `out${p}.pkl`);
    const r = cli(["convert", input, output, "--protocol", String(p)]);
    assert.is(r.status, 0, r.stderr);
    assert.match(r.stderr, /6 pickles at protocol/);
    assert.is(readFileSync(output).toString("hex"), expected[String(p)]);
  }
});

test("a refused input leaves no output and exits 2", () => {
  const evil = join(dir, "evil.pkl");
  runPython(["-c", "import os, pickle, sys\nclass E:\n    def __reduce__(self): return (os.system, ('true',))\nopen(sys.argv[1], 'wb').write(pickle.dumps(E()))", evil]);
  const r = cli(["convert", "--strict", evil, join(dir, "never.pkl")]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /global 'posix.system' is not allowed/);
  assert.throws(() => readFileSync(join(dir, "never.pkl")));
});

test.run();
