// Every command on truncated and mutated pickles (seeds: CPython's corpus, good and bad, and the
// scanner's cases): each file gets an answer or a one-line message naming it, the exit code is one
// the command documents, and no raw JS error or stack trace reaches the user.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { REPO } from "../support/cli.ts";
import { corpus } from "../support/corpus.ts";
import { fromHex, runPython } from "../support/python.ts";

const BIN = fileURLToPath(new URL("../../generator/cli/typed-pickle.mjs", import.meta.url));
const HANG_GUARD_MS = 300_000;
const FILES = 300;

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-fuzz-cli-"));
const seeds = [...corpus().map((c) => fromHex(c.hex)), ...Object.values(JSON.parse(runPython(["scan_cases.py"])) as Record<string, string>).map(fromHex)].filter(
  (s) => s.length > 0 && s.length < 64 * 1024,
);

let seed = 20_261_202;
const random = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
/** Opcodes that move MARKs, memo entries and STOPs around. */
const STRUCTURAL = [0x28, 0x30, 0x31, 0x32, 0x2e, 0x52, 0x74, 0x85, 0x93, 0x94, 0x62, 0x65, 0x75, 0x68, 0x71];
const files: string[] = [];
for (let i = 0; i < FILES; i++) {
  const base = seeds[random(seeds.length)]!;
  let bytes = base.slice();
  switch (i % 4) {
    case 0:
      bytes = bytes.subarray(0, random(bytes.length));
      break;
    case 1:
      bytes[random(bytes.length)] = random(256);
      break;
    case 2:
      bytes[random(bytes.length)] = STRUCTURAL[random(STRUCTURAL.length)]!;
      break;
    default: {
      const at = random(bytes.length);
      const other = seeds[random(seeds.length)]!;
      bytes = Uint8Array.from([...bytes.subarray(0, at), ...other.subarray(random(other.length))]);
    }
  }
  const path = join(dir, `f${i}.pkl`);
  writeFileSync(path, bytes);
  files.push(path);
}

/** What no answer may contain: JS error class names, V8 messages, stack frames. */
const RAW =
  /TypeError|RangeError|ReferenceError|SyntaxError|Cannot read propert|is not a function|is not iterable|Maximum call stack|Invalid string length|Invalid array length|internal error|\n\s+at \S/;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", maxBuffer: 1 << 30, timeout: HANG_GUARD_MS });
  assert.is(r.error, undefined, `${args[0]} did not finish: ${r.error?.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const test = suite("every command on mutated pickles");

for (const command of [["dis"], ["show"], ["show", "--json"], ["scan"], ["scan", "--json"]]) {
  test(`${command.join(" ")}: an answer or a one-line message per file, never a raw error`, () => {
    const r = run([...command, ...files]);
    assert.ok([0, 1, 2].includes(r.status!), `exit ${r.status}`);
    const raw = RAW.exec(r.stderr) ?? RAW.exec(r.stdout);
    assert.is(raw, null, `raw error text: ${raw?.input.slice(Math.max(0, raw.index - 200), raw.index + 200)}`);
    for (const line of r.stderr.trimEnd().split("\n").filter(Boolean)) {
      assert.ok(
        files.some((f) => line.startsWith(`${f}: `)),
        `stderr line names no file: ${line.slice(0, 200)}`,
      );
    }
    if (command[0] === "scan" && command[1] === "--json")
      assert.is(
        r.stdout
          .trimEnd()
          .split("\n")
          .map((l) => JSON.parse(l)).length,
        FILES,
      );
  });
}

test("convert: exit 0 or 2 with a one-line message, for a sample of the files", () => {
  for (const file of files.slice(0, 12)) {
    const r = run(["convert", "--protocol", String(random(6)), file, join(dir, "out.pkl")]);
    assert.ok(r.status === 0 || r.status === 2, `exit ${r.status}`);
    assert.is(RAW.exec(r.stderr), null, r.stderr);
    assert.is(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  }
});

test.run();
