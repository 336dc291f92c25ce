// Using typed-pickle as a user does: the repository packed with `npm pack`, installed from the tarball
// into projects in a temporary directory outside the repository, driven by npm/npx/node/python3.
// One tarball per test process; each project is installed once and shared by the suites that use it.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runPython } from "./python.ts";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));
export const FIXTURES = fileURLToPath(new URL("../consumer/fixtures/", import.meta.url));

/**
 * The environment a user's shell would give: without NODE_OPTIONS (inside the repository it carries the
 * repo-only `typed-pickle-source` condition, which would send Node to the .ts sources), without the
 * variables `npm test` sets for the repository's own scripts, and without the repository's
 * node_modules/.bin on PATH (npx must find the consumer's own binaries).
 */
export function consumerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "NODE_OPTIONS" || key === "INIT_CWD") continue;
    if (/^npm_/i.test(key) && !/^npm_config_(cache|registry|userconfig)$/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => dir !== "" && !dir.startsWith(REPO) && !dir.includes("node-gyp-bin"))
    .join(delimiter);
  return env;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

const timings = process.env.TYPED_PICKLE_TIMINGS === "1";

/** Runs a command as a user would (consumerEnv); throws with its output unless it exits with `status` (default 0). */
export function run(command: string, args: string[], cwd: string, options: { status?: number; timeoutSeconds?: number } = {}): RunResult {
  const started = Date.now();
  const r = spawnSync(command, args, {
    cwd,
    env: consumerEnv(),
    encoding: "utf8",
    maxBuffer: 1 << 28,
    timeout: (options.timeoutSeconds ?? 300) * 1000,
    killSignal: "SIGKILL",
  });
  if (timings) process.stderr.write(`[consumer] ${((Date.now() - started) / 1000).toFixed(1)} s  ${command} ${args.join(" ")}\n`);
  const shown = `${command} ${args.join(" ")} (in ${cwd})`;
  if (r.error) throw new Error(`${shown}: ${r.error.message}\n${r.stderr ?? ""}`); // stderr is null when the spawn itself failed
  if (r.status !== (options.status ?? 0)) {
    const how = r.signal ? `was killed by ${r.signal}` : `exited with ${r.status}`;
    throw new Error(`${shown} ${how}\n--- stdout\n${tail(r.stdout)}\n--- stderr\n${tail(r.stderr)}`);
  }
  return { stdout: r.stdout, stderr: r.stderr };
}

function tail(text: string, max = 6000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

let scratch: string | undefined;

/** A temporary directory outside the repository for this process, removed when the process exits. */
export function scratchDir(): string {
  if (scratch === undefined) {
    const root = mkdtempSync(join(tmpdir(), "typed-pickle-consumer-"));
    scratch = root;
    if (process.env.TYPED_PICKLE_KEEP_CONSUMER !== "1") process.on("exit", () => rmSync(root, { recursive: true, force: true }));
  }
  return scratch;
}

/**
 * `f`, worked out on the first call only. A failure is kept too: every test that needs the result
 * reports it, without redoing the work (and a uvu `before` hook would swallow it).
 */
export function once<T>(f: () => T): () => T {
  let outcome: { value: T } | { error: unknown } | undefined;
  return () => {
    if (outcome === undefined) {
      try {
        outcome = { value: f() };
      } catch (error) {
        outcome = { error };
      }
    }
    if ("error" in outcome) throw outcome.error;
    return outcome.value;
  };
}

/** `npm pack` of the repository (its prepack/prepare scripts build dist/), once per process: the tarball's path. */
export const packedTarball = once(() => {
  const destination = join(scratchDir(), "pack");
  mkdirSync(destination);
  run("npm", ["pack", "--pack-destination", destination, "--no-audit", "--no-fund"], REPO);
  const files = readdirSync(destination).filter((f) => f.endsWith(".tgz"));
  if (files.length !== 1) throw new Error(`npm pack left ${files.length} tarballs in ${destination}`);
  return join(destination, files[0]!);
});

/** The version of a package the repository has installed: the consumer installs the same, so the warm npm cache serves it. */
function repoVersion(name: string): string {
  const require = createRequire(join(REPO, "package.json"));
  return (require(`${name}/package.json`) as { version: string }).version;
}

/** `name@version` as the repository has it installed. */
export const pinned = (name: string) => `${name}@${repoVersion(name)}`;

/**
 * A new project: the fixture folder copied to a fresh directory, a package.json as `npm init` would
 * leave it (plus `type`), and `npm install` of the tarball and `devDependencies` (each `name@version`).
 */
export function installProject(fixture: string, devDependencies: string[], type: "module" | "commonjs"): string {
  const dir = join(scratchDir(), fixture);
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${fixture}`, version: "1.0.0", private: true, type }, null, 2) + "\n");
  const flags = ["--prefer-offline", "--no-audit", "--no-fund"];
  run("npm", ["install", ...flags, packedTarball()], dir);
  if (devDependencies.length > 0) run("npm", ["install", "--save-dev", ...flags, ...devDependencies], dir);
  return dir;
}

export interface ShopProject {
  dir: string;
  /** What `npx typed-pickle generate` printed. */
  generated: RunResult;
}

/**
 * The TypeScript project of test/consumer/fixtures/shop (a user's schema of a Python shop service),
 * installed and with its codecs generated by the installed package's `typed-pickle generate`.
 * Shared by the suites that compile it under several tsconfigs, bundle it for a browser and run the CLI.
 */
export const shopProject = once((): ShopProject => {
  const dir = installProject("shop", [pinned("typescript"), pinned("@types/node"), pinned("esbuild")], "module");
  return { dir, generated: run("npx", ["typed-pickle", "generate"], dir) };
});

/** CPython writes the sample order at protocols 0–5 into a new folder: py-0.pkl … py-5.pkl. */
export function pythonOrders(name: string): string {
  const dir = join(scratchDir(), "pickles", name);
  mkdirSync(dir, { recursive: true });
  runPython(["consumer_shop.py", "write", dir]);
  return dir;
}

/** CPython's verdict on a pickle TypeScript wrote (consumer_shop.py check): "" when it is right, else why not. */
export function pythonCheck(file: string, protocol: number, kind: "order" | "plain" = "order"): string {
  try {
    runPython(kind === "order" ? ["consumer_shop.py", "check", file, String(protocol)] : ["consumer_shop.py", "plain-check", file]);
    return "";
  } catch (e) {
    return `${file}: ${(e as Error).message}`;
  }
}

/** describeOrder() (fixtures/shop/src/sample.ts) of the order consumer_shop.py's sample_order() pickles. */
export const EXPECTED_ORDER = {
  classes: [true, true, true, true, true],
  number: 1042,
  customer: ["Ann Lee", null],
  lines: [
    ["BK-001", 2, "19.99"],
    ["PEN-7", 10, "0.5"],
  ],
  status: "shipped",
  shipped: true,
  placed: [2024, 5, 17, 9, 30, 15, 123456],
  placedInUtc: true,
  stock: [
    ["BK-001", 7],
    ["PEN-7", 120],
  ],
  discount: 0.15,
  tags: ["gift", "priority ✓"],
};

/**
 * Checks what a program wrote next to CPython's py-P.pkl in `dir`: ts-P.pkl (the sample order built in
 * TypeScript) must load in CPython equal to its sample and be pickle.dumps's bytes at 2–5; rt-P.pkl
 * (CPython's order loaded and dumped again) must be CPython's bytes at 2–5 and load equal at 0–1.
 * Returns the problems found, one string each.
 */
export function orderProblems(dir: string): string[] {
  const problems: string[] = [];
  for (let protocol = 0; protocol <= 5; protocol++) {
    for (const written of ["ts", "rt"]) {
      const problem = pythonCheck(join(dir, `${written}-${protocol}.pkl`), protocol);
      if (problem !== "") problems.push(problem);
    }
  }
  return problems;
}
