// The scanner on real dangers and on the safe shapes real services write.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { scan, type Finding } from "../../runtime/inspect/scan.ts";
import { fromHex, runPython } from "../support/python.ts";

const cases: Record<string, string> = JSON.parse(runPython(["scan_cases.py"]));
const findings = (name: string): Finding[] => {
  const report = scan(fromHex(cases[name]!));
  return report.findings;
};
const verdictOf = (name: string, global: string) => findings(name).find((f) => f.name === global)?.verdict;

const test = suite("scan");

test("os.system through REDUCE is dangerous at every protocol", () => {
  assert.is(verdictOf("os_system_p4", "posix.system"), "dangerous");
  assert.is(verdictOf("os_system_p0", "posix.system"), "dangerous");
});

test("the classic subprocess.Popen exploit and builtins.eval are dangerous", () => {
  assert.is(verdictOf("popen_p2", "subprocess.Popen"), "dangerous");
  assert.is(verdictOf("eval_p3", "builtins.eval"), "dangerous");
});

test("a STACK_GLOBAL assembled from strings memoised earlier is seen", () => {
  const f = findings("memo_strings");
  assert.equal(
    f.map((x) => [x.name, x.verdict, x.opcode]),
    [["os.system", "dangerous", "STACK_GLOBAL"]],
  );
});

test("a global whose name is computed at load time is dangerous", () => {
  const f = findings("computed_name");
  assert.ok(f.some((x) => x.name === "<computed name>" && x.verdict === "dangerous"));
});

test("getattr(Enum, 'MEMBER') and getattr(Outer, 'Inner') are shapes, not dangers", () => {
  const e = findings("enum_getattr");
  assert.is(e.find((x) => x.name === "builtins.getattr")?.verdict, "safe-stdlib");
  assert.is(e.find((x) => x.name === "shapes.Color.RED")?.verdict, "unknown");
  const n = findings("nested_p2");
  assert.is(n.find((x) => x.name === "builtins.getattr")?.verdict, "safe-stdlib");
  assert.is(n.find((x) => x.name === "shapes.Outer.Inner")?.verdict, "unknown");
  assert.is(verdictOf("nested_p4", "shapes.Outer.Inner"), "unknown");
  assert.ok(!findings("enum_value").some((x) => x.verdict === "dangerous"));
});

test("zoneinfo's getattr(ZoneInfo, '_unpickle') shape is safe", () => {
  const f = findings("zoneinfo");
  assert.ok(f.length >= 2);
  assert.ok(
    f.every((x) => x.verdict === "safe-stdlib"),
    JSON.stringify(f),
  );
});

test("getattr reaching a dunder stays dangerous", () => {
  assert.is(verdictOf("getattr_dunder", "builtins.getattr"), "dangerous");
});

test("functools.partial is unknown, not dangerous; a plain data pickle has no findings", () => {
  assert.is(verdictOf("partial", "functools.partial"), "unknown");
  assert.equal(findings("clean"), []);
});

test("a danger before the point where a pickle breaks off is still reported", () => {
  const report = scan(fromHex(cases.truncated_after_danger!));
  assert.ok(report.error);
  assert.is(report.findings.find((x) => x.name === "posix.system")?.verdict, "dangerous");
});

test.run();

import { corpus } from "../support/corpus.ts";

const soundness = suite("scan soundness");

soundness("every global CPython resolves while loading a corpus pickle is reported", () => {
  let checked = 0;
  const failures: string[] = [];
  for (const c of corpus().filter((x) => x.ok && x.globals)) {
    const data = fromHex(c.hex);
    const report = scan(data);
    const names = new Set(report.findings.map((f) => f.name));
    const viaExtension = report.findings.some((f) => f.name.startsWith("<extension code"));
    for (const g of c.globals!) {
      checked++;
      if (!names.has(g) && !viaExtension) failures.push(`${c.source} ${c.hex.slice(0, 60)}: ${g} not reported (${[...names].join(", ")})`);
    }
  }
  assert.ok(checked > 3000, `only ${checked} globals checked`);
  assert.equal(failures.length, 0, failures.slice(0, 10).join("\n"));
});

soundness.run();
