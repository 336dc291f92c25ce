// The two readers of argv built from the commands' tables: the fast dispatcher (no yargs) and the
// yargs CLI. Every option of every table, in every plain spelling, must take the fast path and
// parse to exactly what yargs makes of it; anything unusual must be a miss (left to yargs); and
// a command line the dispatcher takes really runs without yargs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import type { AnyCommandSpec } from "../../generator/cli/command-spec.ts";
import { convertCommand } from "../../generator/cli/commands/convert.ts";
import { disCommand } from "../../generator/cli/commands/dis.ts";
import { generateCommand } from "../../generator/cli/commands/generate.ts";
import { scanCommand } from "../../generator/cli/commands/scan.ts";
import { showCommand } from "../../generator/cli/commands/show.ts";
import { fastParse } from "../../generator/cli/fast-parse.ts";
import { yargsCli } from "../../generator/cli/yargs-cli.ts";
import { REPO } from "../support/cli.ts";

const COMMANDS: AnyCommandSpec[] = [showCommand, disCommand, scanCommand, convertCommand, generateCommand];

/** What yargs hands the command for `argv`, or the usage error it raises. */
async function viaYargs(spec: AnyCommandSpec, argv: string[]): Promise<Record<string, unknown>> {
  let args: Record<string, unknown> | undefined;
  await yargsCli([spec.name, ...argv], COMMANDS, (s, a) => void (args = s === spec ? a : undefined))
    .fail((message: string | null, error: Error | undefined) => {
      throw error ?? new Error(message ?? "yargs failed");
    })
    .parseAsync();
  if (!args) throw new Error(`yargs ran no command for ${JSON.stringify(argv)}`);
  return args;
}

/** Positional words a command line of `spec` may carry, including file names yargs could take for numbers or booleans. */
function positionalSets(spec: AnyCommandSpec): string[][] {
  const fixed = spec.positionals.filter((p) => !p.array).map((p) => `${p.name}.pkl`);
  if (!spec.positionals.at(-1)?.array) return [fixed];
  return [
    [...fixed, "a.pkl"],
    [...fixed, "a.pkl", "b c.pkl"],
    [...fixed, "4", "true", "0x10", "1e3"],
  ];
}

/** Every plain spelling of each option with each value it may take. */
function optionForms(spec: AnyCommandSpec): string[][] {
  const forms: string[][] = [];
  for (const [name, o] of Object.entries(spec.options)) {
    if (o.type === "boolean") {
      forms.push([`--${name}`]);
      if (o.alias) forms.push([`-${o.alias}`]);
      continue;
    }
    const values = (o.choices ?? (o.type === "number" ? [0, 3, 12] : ["dir", "a b", "x=y", "/abs/dir"])).map(String);
    for (const v of values) {
      forms.push([`--${name}`, v], [`--${name}=${v}`]);
      if (o.alias) forms.push([`-${o.alias}`, v]);
    }
  }
  return forms;
}

const test = suite("CLI dispatch");

test("every table option, in every plain spelling, before or after the positionals, takes the fast path and parses as yargs parses it", async () => {
  let checked = 0;
  for (const spec of COMMANDS) {
    const forms = optionForms(spec);
    for (const words of positionalSets(spec)) {
      // Each option alone on either side, then every option at once between the positionals.
      const everyOption = Object.keys(spec.options).flatMap((name) => forms.find((f) => f[0] === `--${name}` || f[0]!.startsWith(`--${name}=`))!);
      const argvs = [
        words,
        ...forms.flatMap((f) => [
          [...f, ...words],
          [...words, ...f],
        ]),
        [...words.slice(0, 1), ...everyOption, ...words.slice(1)],
      ];
      // A boolean flag just before a file named "true" is yargs' `--json true` (a miss, checked below).
      const flagThenBool = (argv: string[]) => argv.some((w, i) => spec.options[w.slice(2)]?.type === "boolean" && /^(true|false)$/.test(argv[i + 1] ?? ""));
      for (const argv of argvs.filter((a) => !flagThenBool(a))) {
        const fast = fastParse(spec, argv);
        assert.ok(fast, `${spec.name} ${argv.join(" ")}: the fast path missed a plain command line`);
        assert.equal(fast, await viaYargs(spec, argv), `${spec.name} ${argv.join(" ")}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 100, `only ${checked} command lines checked`);
});

test("anything unusual is a miss, left to yargs: help, unknown or repeated options, --no-x, --x=bool, odd numbers, wrong positional counts, --", () => {
  const misses: [AnyCommandSpec, string[]][] = [
    [showCommand, []],
    [showCommand, ["--help"]],
    [showCommand, ["--version", "a.pkl"]],
    [showCommand, ["a.pkl", "--nope"]],
    [showCommand, ["a.pkl", "-j"]],
    [showCommand, ["--json", "--json", "a.pkl"]],
    [showCommand, ["--no-json", "a.pkl"]],
    [showCommand, ["--json=false", "a.pkl"]],
    [showCommand, ["--json", "false", "a.pkl"]],
    [showCommand, ["--json", "true", "a.pkl"]],
    [showCommand, ["--", "a.pkl"]],
    [showCommand, ["-"]],
    [showCommand, ["a.pkl", "--constructor"]],
    [showCommand, ["a.pkl", "--__proto__"]],
    [disCommand, ["-l", "-1", "a.pkl"]],
    [disCommand, ["-l", "0x10", "a.pkl"]],
    [disCommand, ["-l", "1e3", "a.pkl"]],
    [disCommand, ["-l", "04", "a.pkl"]],
    [disCommand, ["-l4", "a.pkl"]],
    [disCommand, ["a.pkl", "-l"]],
    [disCommand, ["--indentLevel", "2", "a.pkl"]],
    [convertCommand, ["a.pkl"]],
    [convertCommand, ["a.pkl", "b.pkl", "c.pkl"]],
    [convertCommand, ["a.pkl", "b.pkl", "--protocol", "6"]],
    [convertCommand, ["a.pkl", "b.pkl", "-p", "2", "-p", "3"]],
    [convertCommand, ["a.pkl", "b.pkl", "--allowFoldLoss"]],
    [generateCommand, ["extra"]],
    [generateCommand, ["--import-extension", "mjs"]],
    [generateCommand, ["--out"]],
    [generateCommand, ["--out", "--check"]],
  ];
  for (const [spec, argv] of misses) assert.is(fastParse(spec, argv), undefined, `${spec.name} ${argv.join(" ")}`);
});

const BIN = fileURLToPath(new URL("../../generator/cli/typed-pickle.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "typed-pickle-dispatch-"));
const small = join(dir, "small.pkl");
writeFileSync(small, Uint8Array.from([0x80, 0x02, 0x5d, 0x71, 0x00, 0x28, 0x4b, 0x01, 0x4b, 0x02, 0x65, 0x2e])); // [1, 2], protocol 2

/** Runs the CLI with dispatch tracing on; `paths` are the dispatch lines it wrote on stderr. */
function traced(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO, encoding: "utf8", env: { ...process.env, TYPED_PICKLE_TRACE_DISPATCH: "1" } });
  const lines = r.stderr.split("\n");
  const paths = lines.filter((l) => l.startsWith("typed-pickle: dispatch: ")).map((l) => l.slice("typed-pickle: dispatch: ".length));
  return { status: r.status, stdout: r.stdout, stderr: lines.filter((l) => !l.startsWith("typed-pickle: dispatch: ")).join("\n"), paths };
}

test("show, dis, scan and convert of a plain command line run on the fast path", () => {
  for (const args of [
    ["show", small],
    ["dis", small],
    ["scan", small],
    ["convert", small, join(dir, "out.pkl"), "-p", "0"],
  ]) {
    const r = traced(args);
    assert.is(r.status, 0, r.stderr);
    assert.equal(r.paths, [`fast ${args[0]}`]);
  }
  assert.is(traced(["show", small]).stdout, "[1, 2]\n");
});

test("a miss runs the same command through yargs; help and usage errors are yargs'", () => {
  const viaYargsPath = traced(["show", "--json=false", small]);
  assert.equal(viaYargsPath.paths, ["yargs"]);
  assert.is(viaYargsPath.stdout, "[1, 2]\n");
  const help = traced(["show", "--help"]);
  assert.equal([help.status, help.paths], [0, ["yargs"]]);
  assert.match(help.stdout, /--strict/);
  const usage = traced(["convert", small]);
  assert.equal([usage.status, usage.paths], [2, ["yargs"]]);
  assert.match(usage.stderr, /Not enough non-option arguments/);
  assert.equal(traced([]).paths, ["yargs"]);
});

test("a command's own failure on the fast path is reported once, never retried through yargs", () => {
  const r = traced(["show", join(dir, "missing.pkl")]);
  assert.is(r.status, 2);
  assert.equal(r.paths, ["fast show"]);
  assert.match(r.stderr, /missing\.pkl: ENOENT/);
});

test.run();
