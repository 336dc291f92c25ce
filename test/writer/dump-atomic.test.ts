// dump() to a path replaces the file atomically and safely: concurrent dumps never share a temporary
// file, a symlink planted where a temporary file might go redirects nothing, the file keeps its
// permissions, and a dump killed mid-write leaves the previous file (and a findable leftover).
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dump, dumps, loads, writeFileAtomically, type PyValue } from "../../runtime/index.node.ts";
import { TEMP_FILE_PATTERN } from "../../runtime/node/write-file.ts";

const test = suite("dump to a path");
const fresh = () => mkdtempSync(join(tmpdir(), "typed-pickle-atomic-"));
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".tmp"));

test("concurrent dumps to one path: each resolves, the file holds one complete value, no temporary file stays", async () => {
  const dir = fresh();
  const path = join(dir, "shared.pkl");
  // Small values: all three dumps start within one millisecond.
  const values: PyValue[] = [["first"], [2n, 2n], new Map<PyValue, PyValue>([["tag", "third"]])];
  const expected = values.map((v) => Buffer.from(dumps(v)).toString("hex"));
  for (let round = 0; round < 50; round++) {
    const results = await Promise.allSettled(values.map((v) => dump(v, path)));
    const rejected = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    assert.equal(
      rejected.map((r) => String(r.reason)),
      [],
      `round ${round}`,
    );
    const written = readFileSync(path);
    assert.ok(expected.includes(written.toString("hex")), `round ${round}: the file holds none of the values`);
    loads(written);
  }
  assert.equal(leftovers(dir), []);
});

test("the temporary file has an unpredictable name of a findable pattern, different on every dump", async () => {
  const dir = fresh();
  const path = join(dir, "state.pkl");
  const seen: string[] = [];
  for (let i = 0; i < 3; i++) {
    await writeFileAtomically(path, (sink) => {
      seen.push(...leftovers(dir));
      sink(dumps(BigInt(i)));
    });
  }
  assert.is(seen.length, 3);
  assert.is(new Set(seen).size, 3);
  for (const name of seen) {
    assert.match(name, TEMP_FILE_PATTERN);
    assert.ok(name.startsWith(`.state.pkl.typed-pickle-${process.pid}-`), name);
  }
});

test("symlinks planted at the names a temporary file could take redirect nothing", async () => {
  const dir = fresh();
  const victim = join(dir, "victim");
  writeFileSync(victim, "untouched");
  const path = join(dir, "state.pkl");
  // Every name the former scheme (pid + millisecond clock) could pick in the next two seconds.
  const now = Date.now();
  for (let t = now; t < now + 2000; t++) symlinkSync(victim, join(dir, `.state.pkl.${process.pid}.${t.toString(36)}.tmp`));
  await dump(["new"], path);
  assert.is(readFileSync(victim, "utf8"), "untouched");
  assert.equal(loads(readFileSync(path)), ["new"]);
});

test("an existing file keeps its mode; a new one gets 0o666 less the umask, as Python's open()", async () => {
  const dir = fresh();
  const path = join(dir, "secret.pkl");
  writeFileSync(path, dumps("old"));
  chmodSync(path, 0o600);
  await dump("new", path);
  assert.is(statSync(path).mode & 0o777, 0o600);
  chmodSync(path, 0o640);
  await dump("newer", path);
  assert.is(statSync(path).mode & 0o777, 0o640);
  const created = join(dir, "created.pkl");
  await dump("x", created);
  const umask = process.umask();
  assert.is(statSync(created).mode & 0o777, 0o666 & ~umask);
});

test("a symlink at the path itself is followed: the file it names is replaced, the link stays", async () => {
  const dir = fresh();
  const real = join(dir, "real.pkl");
  const link = join(dir, "link.pkl");
  writeFileSync(real, dumps("old"));
  symlinkSync(real, link);
  await dump("new", link);
  assert.is(loads(readFileSync(real)), "new");
  assert.ok(statSync(link).isFile() && readdirSync(dir).includes("link.pkl"));
  assert.equal(leftovers(dir), []);
});

test("a dump into a missing directory fails with Node's error (code and path), leaving nothing", async () => {
  const dir = fresh();
  try {
    await dump("x", join(dir, "missing", "state.pkl"));
    assert.unreachable("accepted");
  } catch (e) {
    assert.is((e as NodeJS.ErrnoException).code, "ENOENT");
  }
  assert.equal(readdirSync(dir), []);
});

test("a dump killed mid-write (SIGKILL) leaves the previous file intact and a findable temporary file", async () => {
  const dir = fresh();
  const path = join(dir, "state.pkl");
  const previous = dumps(["previous", 1n]);
  writeFileSync(path, previous);
  const dumpModule = fileURLToPath(new URL("../../runtime/node/dump.ts", import.meta.url));
  const script = `
    import { dump } from ${JSON.stringify(dumpModule)};
    const blobs = Array.from({ length: 200 }, (_, i) => new Uint8Array(1 << 20).fill(i & 0xff));
    for (;;) await dump(blobs, ${JSON.stringify(path)});
  `;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { stdio: "ignore" });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const started = Date.now();
  let partial: string | undefined;
  while (!partial && Date.now() - started < 60_000) {
    await new Promise((r) => setTimeout(r, 5));
    partial = leftovers(dir).find((f) => (statSync(join(dir, f), { throwIfNoEntry: false })?.size ?? 0) > 1 << 20);
  }
  child.kill("SIGKILL");
  await exited;
  assert.ok(partial, "the child never started writing");
  assert.equal(new Uint8Array(readFileSync(path)), previous);
  const left = leftovers(dir);
  assert.is(left.length, 1);
  assert.match(left[0]!, TEMP_FILE_PATTERN);
  assert.ok(left[0]!.includes(`-${child.pid}-`), "the leftover names the killed process");
  rmSync(dir, { recursive: true });
  assert.not.ok(existsSync(dir));
});

test.run();
