// `dis`, `show` and `scan` as a user runs them: output formats and exit codes.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { cli } from "../support/cli.ts";
import { runPython } from "../support/python.ts";

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-cli-"));
// One python process writes every file the tests use, and what Python itself prints for them.
const expected = JSON.parse(
  runPython([
    "-c",
    `
import datetime, decimal, io, json, os, pickle, pickletools, sys
d = sys.argv[1]
values = [[1, 2.5, 'é', b'\\x00', (1,), {1, 2}, frozenset({3}), None],
          datetime.datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc),
          {'price': decimal.Decimal('3.14'), 'ratio': 1e16}]
with open(os.path.join(d, 'multi.pkl'), 'wb') as f:
    for i, v in enumerate(values):
        pickle.dump(v, f, protocol=i + 2)
with open(os.path.join(d, 'single.pkl'), 'wb') as f:
    pickle.dump(values, f, protocol=0)
class Evil:
    def __reduce__(self):
        return (os.system, ('echo owned',))
with open(os.path.join(d, 'evil.pkl'), 'wb') as f:
    pickle.dump(Evil(), f, protocol=4)
with open(os.path.join(d, 'broken.pkl'), 'wb') as f:
    f.write(pickle.dumps([1, 2, 3], protocol=4)[:-4])
out = io.StringIO()
pickletools.dis(open(os.path.join(d, 'single.pkl'), 'rb'), out)
print(json.dumps({'repr': [repr(v) for v in values], 'dis_single': out.getvalue()}))
`,
    dir,
  ]),
);
const file = (name: string) => join(dir, name);

const test = suite("dis, show, scan");

test("dis prints what pickletools prints", () => {
  const r = cli(["dis", file("single.pkl")]);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, expected.dis_single);
});

test("show prints one Python repr per pickle, --json the tagged form", () => {
  const r = cli(["show", file("multi.pkl")]);
  assert.is(r.status, 0, r.stderr);
  assert.equal(r.stdout.trimEnd().split("\n"), expected.repr);
  const j = cli(["show", "--json", file("multi.pkl")]);
  const lines = j.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  assert.is(lines.length, 3);
  assert.equal(lines[1], { datetime: "2024-01-02T03:04:05.678901", tzinfo: { timezone: [0, 0, 0] } });
  assert.equal(lines[2].dict[0], [{ str: "price" }, { decimal: "3.14" }]);
});

test("show: a refused or broken file is one stderr line with file, offset and opcode; other files still show", () => {
  const r = cli(["show", "--strict", file("evil.pkl"), file("broken.pkl"), file("single.pkl")]);
  assert.is(r.status, 2);
  const errors = r.stderr.trimEnd().split("\n");
  assert.is(errors.length, 2);
  assert.match(errors[0]!, new RegExp(`^${file("evil.pkl")}: global 'posix.system' is not allowed \\(offset \\d+, STACK_GLOBAL\\)$`));
  assert.match(errors[1]!, new RegExp(`^${file("broken.pkl")}: pickle data was truncated \\(offset \\d+, \\w+\\)$`));
  assert.is(r.stdout.trimEnd(), expected.repr.join(", ").replace(/^/, "[").concat("]"));
  const opaque = cli(["show", file("evil.pkl")]);
  assert.is(opaque.status, 0);
  assert.is(opaque.stdout, "posix.system('echo owned')\n");
});

test("scan: exit 0 clean, 1 findings, 2 unreadable", () => {
  const clean = cli(["scan", file("multi.pkl")]);
  assert.is(clean.status, 0, clean.stdout + clean.stderr);
  assert.match(clean.stdout, /3 pickles, \d+ globals: 0 dangerous, 0 unknown, \d+ safe-stdlib/);
  const evil = cli(["scan", file("evil.pkl"), file("multi.pkl")]);
  assert.is(evil.status, 1);
  assert.match(evil.stdout, new RegExp(`${file("evil.pkl")}:\\d+: dangerous posix.system \\(STACK_GLOBAL\\)`));
  const broken = cli(["scan", "--json", file("broken.pkl")]);
  assert.is(broken.status, 2);
  assert.match(JSON.parse(broken.stdout).error, /exhausted|not enough data/);
});

test("usage errors exit 2", () => {
  const r = cli(["show"]);
  assert.is(r.status, 2);
  assert.is(cli(["no-such-command"]).status, 2);
});

test.run();
