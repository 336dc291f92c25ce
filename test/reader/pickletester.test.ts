// CPython's own pickle test corpus (test.pickletester), read through typed-pickle and compared with
// what CPython's C unpickler gives for the same bytes under the same rules for globals
// (python/oracle.py: the standard allowlist, and stand-ins that record other classes as data).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { STANDARD_GLOBALS, UnpicklingError, Unpickler, loads, type ReadOptions } from "../../runtime/index.ts";
import { toTagged } from "../../runtime/format/tagged-json.ts";
import { type CorpusCase, corpus } from "../support/corpus.ts";
import { fromHex, runPython } from "../support/python.ts";

const cases = corpus();
const good = cases.filter((c) => c.ok);
const bad = cases.filter((c) => !c.ok);

function readOptions(c: CorpusCase, mode: "strict" | "opaque"): ReadOptions {
  // The oracle's allowlist is the standard library's; numpy's (also on by default) is tested in test/numpy.
  const options: ReadOptions = { mode, limits: { maxIntDigits: 1e6 }, globals: STANDARD_GLOBALS };
  if (c.options?.encoding) options.encoding = c.options.encoding as NonNullable<ReadOptions["encoding"]>;
  if (c.options?.fix_imports === false) options.fixImports = false;
  if (c.options?.extensions) {
    options.extensions = new Map(Object.entries(c.options.extensions).map(([code, name]) => [Number(code), name]));
  }
  return options;
}

/** Differences between our reading and the oracle's, one line each. */
function compare(mode: "strict" | "opaque"): string[] {
  const failures: string[] = [];
  for (const c of good) {
    const expected = mode === "opaque" ? c.tagged : c.strict;
    try {
      const ours = JSON.stringify(toTagged(loads(fromHex(c.hex), readOptions(c, mode))));
      const theirs = JSON.stringify(expected);
      if (expected === null) failures.push(`${c.source} ${c.hex.slice(0, 60)}: accepted, but the oracle refuses a global`);
      else if (ours !== theirs) failures.push(`${c.source} ${c.hex.slice(0, 60)}\n  ours:   ${ours.slice(0, 300)}\n  python: ${theirs.slice(0, 300)}`);
    } catch (e) {
      const refusedAsExpected = expected === null && e instanceof UnpicklingError;
      if (!refusedAsExpected) failures.push(`${c.source} ${c.hex.slice(0, 60)}: ${(e as Error).message}`);
    }
  }
  return failures;
}

const test = suite("pickletester corpus");

test("python/oracle.py's allowlist is the reader's", () => {
  const theirs = JSON.parse(runPython(["-c", "import json, oracle; print(json.dumps(sorted(oracle.STANDARD_GLOBALS)))"]));
  assert.equal(theirs, [...STANDARD_GLOBALS.keys()].sort());
});

test("the corpus is substantial", () => {
  assert.ok(good.length > 5000, `only ${good.length} good cases`);
  assert.ok(bad.length > 150, `only ${bad.length} bad cases`);
  assert.ok(good.some((c) => c.strict === null) && good.some((c) => c.strict !== null), "both strict outcomes occur");
});

test("opaque mode: every valid pickle decodes to the value CPython gives", () => {
  const failures = compare("opaque");
  assert.equal(failures.length, 0, `${failures.length} of ${good.length} differ:\n${failures.slice(0, 10).join("\n")}`);
});

test("strict mode: the same values, and a refusal exactly where a global is outside the allowlist", () => {
  const failures = compare("strict");
  assert.equal(failures.length, 0, `${failures.length} of ${good.length} differ:\n${failures.slice(0, 10).join("\n")}`);
});

// NEWOBJ on `builtins.len`: CPython refuses because len is not a class. Opaque mode records globals
// it does not know without importing them, so it cannot tell a function from a class; strict mode
// refuses these (len is not allowed).
const OPAQUE_CANNOT_KNOW = new Set(["636275696c74696e730a6c656e0a29812e", "636275696c74696e730a6c656e0a297d922e"]);

for (const mode of ["strict", "opaque"] as const) {
  test(`${mode} mode: every pickle CPython rejects is rejected with UnpicklingError`, () => {
    const failures: string[] = [];
    for (const c of bad) {
      if (mode === "opaque" && OPAQUE_CANNOT_KNOW.has(c.hex)) continue;
      try {
        loads(fromHex(c.hex), { mode });
        failures.push(`${c.source} ${c.hex}: accepted`);
      } catch (e) {
        if (!(e instanceof UnpicklingError)) failures.push(`${c.source} ${c.hex}: ${(e as Error).constructor.name} ${(e as Error).message}`);
        else if (!(e.offset >= 0)) failures.push(`${c.source} ${c.hex}: no offset in ${e.message}`);
      }
    }
    assert.equal(failures.length, 0, failures.join("\n"));
  });
}

test("opaque mode accepts exactly the documented NEWOBJ-on-a-function cases", () => {
  for (const hex of OPAQUE_CANNOT_KNOW) {
    assert.ok(
      bad.some((c) => c.hex === hex),
      "still in the corpus",
    );
    loads(fromHex(hex), { mode: "opaque" });
    assert.throws(
      () => loads(fromHex(hex)),
      (e: unknown) => e instanceof UnpicklingError && /builtins\.len/.test(e.message),
    );
  }
});

test("every strict prefix of every valid pickle is rejected cleanly", () => {
  const failures: string[] = [];
  let prefixes = 0;
  for (const c of good) {
    const data = fromHex(c.hex);
    if (data.length > 4096) continue; // the big framing cases repeat the small ones' opcodes
    const reader = new Unpickler(data, readOptions(c, "opaque"));
    reader.load();
    const end = reader.pos; // a few cases carry bytes after STOP: prefixes end at the STOP
    for (let n = 0; n < end; n++) {
      prefixes++;
      try {
        loads(data.subarray(0, n), readOptions(c, "opaque"));
        failures.push(`${c.source} ${c.hex.slice(0, 60)}: prefix of ${n} bytes accepted`);
      } catch (e) {
        if (!(e instanceof UnpicklingError)) failures.push(`${c.source} prefix ${n}: ${(e as Error).constructor.name} ${(e as Error).message}`);
      }
      if (failures.length > 20) break;
    }
  }
  assert.ok(prefixes > 100_000, `only ${prefixes} prefixes`);
  assert.equal(failures.length, 0, failures.join("\n"));
});

test.run();
