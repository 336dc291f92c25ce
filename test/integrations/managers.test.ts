// typed-pickle/managers against a real multiprocessing BaseManager server (python/mp_manager.py,
// CPython 3.11), started once for the file and always killed: a queue and a dict shared with a
// Python process, remote exceptions, a wrong authkey, a hostile reply, reference counts.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleError, PyDateTime, PyTimezone, T, UnpicklingError } from "../../runtime/index.ts";
import { AuthenticationError } from "../../runtime/integrations/connection/index.ts";
import { ManagerClient, ManagerProtocolError, RemoteError, typed } from "../../runtime/integrations/managers/index.ts";
import { UserCodec } from "../../generated/user.ts";
import { User } from "../../schemas/user.ts";
import { PYTHON_DIR, runPython } from "../support/python.ts";

const test = suite("integrations/managers");

const AUTHKEY = randomBytes(16).toString("hex");
let port = 0;
let manager: ManagerClient;

const servers: ChildProcess[] = [];
const killServers = () => {
  for (const child of servers) child.kill("SIGKILL");
};
process.once("exit", killServers);

type Address = [string, number] | string;

/** Starts python/mp_manager.py's server (on a Unix socket when `unixPath` is given); resolves with its address once it listens. */
function startServer(unixPath?: string): Promise<Address> {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["mp_manager.py", "server", AUTHKEY, ...(unixPath ? [unixPath] : [])], {
      cwd: PYTHON_DIR,
      env: { ...process.env, PYTHONPATH: PYTHON_DIR },
      stdio: ["ignore", "pipe", "pipe"],
    });
    servers.push(child);
    let out = "";
    let err = "";
    child.stderr.on("data", (chunk) => (err += chunk));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0];
      if (out.includes("\n") && line) resolve((JSON.parse(line) as { address: Address }).address);
    });
    child.once("exit", (code) => reject(new Error(`python/mp_manager.py server exited (${code}) before listening: ${err}`)));
  });
}

const address = (): [string, number] => ["127.0.0.1", port];

test.before(async () => {
  port = (await startServer())[1] as number;
  manager = await ManagerClient.connect(address(), { authkey: Buffer.from(AUTHKEY, "hex") });
});

test.after(async () => {
  try {
    await manager?.close();
  } finally {
    killServers();
  }
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

function user(name: string): User {
  return Object.assign(new User(), {
    name,
    age: 36,
    score: 1.5,
    hobbies: ["chess"],
    isActive: true,
    address: null,
    created: new PyDateTime(2024, 5, 17, 9, 30, 0, 0, PyTimezone.utc),
  });
}

test("a queue and a dict shared with a Python process: typed items both ways", async () => {
  const jobs = await manager.queue("get_queue", { item: UserCodec });
  const shared = await manager.dict("get_dict");
  try {
    await jobs.put(user("Ada"));
    await shared.set(
      "from_node",
      new Map<string, bigint | string>([
        ["n", 7n],
        ["s", "hé"],
      ]),
    );
    // The Python peer takes the User from the queue, puts one back, reads and writes the dict.
    const saw = JSON.parse(runPython(["mp_manager.py", "peer", String(port), AUTHKEY]));
    assert.equal(saw, { class: "myapp.models.User", name: "Ada", age: 36, hobbies: ["chess"], from_node: { n: 7, s: "hé" } });
    const reply = await jobs.get({ timeout: 20 });
    assert.ok(reply instanceof User);
    assert.is(reply.name, "Ada (seen by Python)");
    assert.is(reply.age, 37);
    assert.equal(reply.hobbies, ["chess", "python"]);
    assert.is(reply.isActive, false);
    assert.is(reply.created.isoformat(), "2024-05-17T09:30:00+00:00");
    const fromPython = await shared.get("from_python");
    assert.equal(
      fromPython,
      new Map<string, unknown>([
        ["answer", 42n],
        ["items", [1n, 2n, 3n]],
      ]),
    );
  } finally {
    await jobs.close();
    await shared.close();
  }
});

test("a dict: set, get, getItem, has, size, keys, items, delete — typed by codecs", async () => {
  const scores = await manager.dict("dict", { key: T.str, value: T.int });
  try {
    await scores.set("ada", 36);
    await scores.set("grace", 85);
    assert.is(await scores.get("ada"), 36);
    assert.is(await scores.get("nobody"), null);
    assert.is(await scores.getItem("grace"), 85);
    assert.is(await scores.has("grace"), true);
    assert.is(await scores.size(), 2);
    assert.equal(await scores.keys(), ["ada", "grace"]);
    assert.equal(await scores.items(), [
      ["ada", 36],
      ["grace", 85],
    ]);
    await scores.delete("ada");
    assert.equal(await scores.keys(), ["grace"]);
    const missing = await rejection(scores.getItem("ada"));
    assert.ok(missing instanceof RemoteError);
    assert.is((missing as RemoteError).pythonClass, "builtins.KeyError");
    // A value the codec does not describe is refused when it arrives, with where it was.
    await scores.proxy.call("__setitem__", ["bad", "not an int"]);
    const wrong = await rejection(scores.get("bad"));
    assert.ok(wrong instanceof UnpicklingError);
    assert.match(wrong.message, /expected int, got str/);
  } finally {
    await scores.close();
  }
});

test("remote exceptions surface as RemoteError with the Python class and message", async () => {
  const raiser = await manager.create("Raiser");
  try {
    const value = (await rejection(raiser.call("value_error"))) as RemoteError;
    assert.ok(value instanceof RemoteError && value instanceof PickleError);
    assert.is(value.kind, "#ERROR");
    assert.is(value.pythonClass, "builtins.ValueError");
    assert.is(value.pythonMessage, "boom: bad value");
    assert.is(value.message, "builtins.ValueError: boom: bad value");
    // The service's own exception class: reported from its pickle as data, never imported or built.
    const quota = (await rejection(raiser.call("quota"))) as RemoteError;
    assert.is(quota.pythonClass, "mp_manager_objects.QuotaError");
    assert.equal(quota.pythonArgs, ["quota exceeded", 42n]);
    assert.is(quota.pythonMessage, "('quota exceeded', 42)");
    const key = (await rejection(raiser.call("key_error"))) as RemoteError;
    assert.is(key.message, "builtins.KeyError: 'missing'");
    // A method the server does not expose: it answers with a formatted traceback (#TRACEBACK).
    const hidden = (await rejection(raiser.call("__init__"))) as RemoteError;
    assert.is(hidden.kind, "#TRACEBACK");
    assert.match(hidden.traceback ?? "", /method '__init__' of <class 'mp_manager_objects.Raiser'> object is not in exposed/);
    // queue.get with a timeout on an empty queue: queue.Empty (whose class lives in _queue).
    const jobs = await manager.queue("get_queue");
    try {
      const empty = (await rejection(jobs.get({ timeout: 0.05 }))) as RemoteError;
      assert.is(empty.pythonClass, "_queue.Empty");
    } finally {
      await jobs.close();
    }
  } finally {
    await raiser.close();
  }
});

test("a wrong authkey is a clear AuthenticationError", async () => {
  const wrong = await rejection(ManagerClient.connect(address(), { authkey: "not the key" }));
  assert.ok(wrong instanceof AuthenticationError, String(wrong));
  assert.ok(wrong instanceof PickleError);
  assert.match(wrong.message, /its authkey differs from ours/);
});

test("a hostile reply (a pickle that calls os.system) is refused; the proxy stays in step", async () => {
  const tricky = await manager.create("Tricky");
  try {
    const refused = await rejection(tricky.call("payload"));
    assert.ok(refused instanceof UnpicklingError, String(refused));
    assert.match(refused.message, /^the reply to Tricky\.payload\(\): global 'posix\.system' is not allowed \(offset 38, STACK_GLOBAL\)$/);
    // With a codec the allowlist is the codec's classes: still refused.
    const typedRefused = await rejection(tricky.call("payload", [], {}, { result: T.str }));
    assert.match(typedRefused.message, /global 'posix\.system' is not allowed/);
    // The refused frame was read whole: the next reply is the next request's.
    assert.is(await tricky.call("ping"), "pong");
  } finally {
    await tricky.close();
  }
});

test("references: create, #PROXY replies and close() leave the server's count where it was", async () => {
  const before = await manager.numberOfObjects();
  const registry = await manager.create("Registry");
  const child = await registry.callProxy("child", ["a"]);
  assert.is(child.token.typeid, "Child");
  await child.call("__setitem__", ["k", typed(T.list(T.int), [1, 2])]);
  assert.equal(await child.call("get", ["k"], {}, { result: T.list(T.int) }), [1, 2]);
  assert.is(await manager.numberOfObjects(), before + 2);
  assert.match(await manager.debugInfo(), new RegExp(`${child.token.id}:\\s+refcount=1\\s+\\{'k': \\[1, 2\\]\\}`));
  // A proxy asked for with call() is handed back at once (and said so), so nothing leaks.
  const unasked = await rejection(registry.call("child", ["b"]));
  assert.ok(unasked instanceof ManagerProtocolError);
  assert.match(unasked.message, /callProxy/);
  assert.is(await manager.numberOfObjects(), before + 2);
  await child.close();
  await child.close(); // idempotent: one decref only
  assert.is(await manager.numberOfObjects(), before + 1);
  assert.match((await rejection(child.call("get", ["k"]))).message, /is closed/);
  await registry[Symbol.asyncDispose]();
  assert.is(await manager.numberOfObjects(), before);
  assert.is(manager.openProxies, 0);
});

test("a manager on a Unix socket, then shut down", async () => {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-managers-"));
  try {
    const path = join(dir, "manager.sock");
    assert.is(await startServer(path), path);
    const local = await ManagerClient.connect(path, { authkey: Buffer.from(AUTHKEY, "hex") });
    const shared = await local.dict("dict", { value: T.str });
    await shared.set("greeting", "hello over AF_UNIX");
    assert.is(await shared.get("greeting"), "hello over AF_UNIX");
    await local.close();
    assert.is(await local.numberOfObjects(), 0);
    // shutdown() stops the server process.
    const child = servers[servers.length - 1]!;
    const exited = once(child, "exit");
    await local.shutdown();
    assert.equal(await exited, [0, null]);
  } finally {
    servers.pop()?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
