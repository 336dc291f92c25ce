// The fast paths must run where they are meant to, and fall back to the general reader and writer on
// a miss only: an error of any other kind inside a fast path is a bug, and surfaces (it once fell back
// silently, and a broken direct writer showed only as a slower benchmark). What the exact reader
// cannot decode (bytes that are not UTF-8, a datetime out of range) is a miss, worded by the general
// reader.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ExactReader, FastPathMiss, Pickler, T, UnpicklingError, Unpickler, dumpTyped, dumpsTyped, loadTyped, loadsTyped } from "typed-pickle";
import { UserCodec, dumpUser, dumpsUser, loadUser, loadsUser } from "../../generated/user.ts";
import { Address, User } from "../../schemas/user.ts";
import { PyDateTime } from "typed-pickle";
import { fromHex, runPython, toHex } from "../support/python.ts";

/** CPython's pickles of one user and of a list of two (python/myapp). */
const made: Record<string, string> = JSON.parse(
  runPython([
    "-c",
    `
import datetime, json, pickle
from myapp.models import Address, User
ann = User("Ann", 37, 4.5, ["chess"], True, Address("1 Main St", "12345"), datetime.datetime(2024, 1, 2))
bob = User("Bob", 41, 0.0, [], False, None, datetime.datetime(1999, 12, 31, 23, 59, 59, 1))
print(json.dumps({"ann": pickle.dumps(ann, 4).hex(), "two": pickle.dumps([ann, bob], 4).hex(), "one": pickle.dumps([ann], 4).hex()}))
`,
  ]),
);
const ann = fromHex(made.ann!);
const users = T.list(UserCodec);

const makeAnn = () =>
  Object.assign(new User(), {
    name: "Ann",
    age: 37,
    score: 4.5,
    hobbies: ["chess"],
    isActive: true,
    address: Object.assign(new Address(), { street: "1 Main St", zip: "12345" }),
    created: new PyDateTime(2024, 1, 2),
  });

/** Counts calls of `proto[name]` (and those that returned) until restored. */
function spy(proto: object, name: string): { calls: number; returned: number; restore(): void } {
  const target = proto as Record<string, (...args: unknown[]) => unknown>;
  const original = target[name]!;
  const counter = {
    calls: 0,
    returned: 0,
    restore: () => {
      target[name] = original;
    },
  };
  target[name] = function (this: unknown, ...args: unknown[]) {
    counter.calls++;
    const result = original.apply(this, args);
    counter.returned++;
    return result;
  };
  return counter;
}

/** Runs `f` counting the fast and the general paths: exact reads finished, direct writes begun, general loads and dumps. */
async function paths(f: () => unknown): Promise<{ exact: number; general: number; direct: number; generalWrites: number }> {
  const spies = [spy(ExactReader.prototype, "finish"), spy(Unpickler.prototype, "load"), spy(Pickler.prototype, "beginDirect"), spy(Pickler.prototype, "begin")];
  try {
    await f();
  } finally {
    for (const s of spies) s.restore();
  }
  const [exact, general, direct, generalWrites] = spies;
  return { exact: exact!.returned, general: general!.calls, direct: direct!.returned, generalWrites: generalWrites!.calls };
}

/** Makes `proto[name]` throw a TypeError (a bug in a fast path) until restored. */
function broken(proto: object, name: string): () => void {
  const target = proto as Record<string, unknown>;
  const original = target[name];
  target[name] = () => {
    throw new TypeError("injected");
  };
  return () => {
    target[name] = original;
  };
}

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-fast-runs-"));

const test = suite("fast paths run, and only a miss falls back");

test("loadsX, loadX (file), loadsTyped and loadTyped (file) with a list codec read exactly", async () => {
  writeFileSync(join(dir, "ann.pkl"), ann);
  writeFileSync(join(dir, "two.pkl"), fromHex(made.two!));
  for (const [what, f] of [
    ["loadsUser", () => loadsUser(ann)],
    ["loadUser(path)", () => loadUser(join(dir, "ann.pkl"))],
    ["loadsTyped(list)", () => loadsTyped(users, fromHex(made.two!))],
    ["loadTyped(list, path)", () => loadTyped(users, join(dir, "two.pkl"))],
  ] as const) {
    assert.equal(await paths(f), { exact: 1, general: 0, direct: 0, generalWrites: 0 }, what);
  }
  // A stream's bytes are not at hand before they are read: the general (streaming) reader takes it.
  assert.equal(await paths(() => loadUser(Readable.from([ann]))), { exact: 0, general: 1, direct: 0, generalWrites: 0 });
});

test("an option set to undefined is not set: the fast paths still run (a caller forwarding its own optional options)", async () => {
  assert.equal(await paths(() => loadsUser(ann, { strict: undefined, encoding: undefined, limits: undefined })), { exact: 1, general: 0, direct: 0, generalWrites: 0 });
  assert.equal(await paths(() => dumpsUser(makeAnn(), { protocol: undefined, persistentId: undefined })), { exact: 0, general: 0, direct: 1, generalWrites: 0 });
  // A real option still sends the load to the general reader.
  assert.equal(await paths(() => loadsUser(ann, { encoding: "latin1" })), { exact: 0, general: 1, direct: 0, generalWrites: 0 });
});

test("dumpsX, dumpX (file and stream), dumpsTyped and dumpTyped with a list codec write directly", async () => {
  const sink = new PassThrough();
  const streamed: Buffer[] = [];
  sink.on("data", (c: Buffer) => streamed.push(c));
  const list = [makeAnn(), makeAnn()];
  for (const [what, f] of [
    ["dumpsUser", () => dumpsUser(makeAnn())],
    ["dumpUser(path)", () => dumpUser(makeAnn(), join(dir, "out.pkl"))],
    ["dumpUser(stream)", () => dumpUser(makeAnn(), sink)],
    ["dumpsTyped(list)", () => dumpsTyped(users, list)],
    ["dumpTyped(list, path)", () => dumpTyped(users, list, join(dir, "list.pkl"))],
  ] as const) {
    assert.equal(await paths(f), { exact: 0, general: 0, direct: 1, generalWrites: 0 }, what);
  }
  // CPython's bytes, wherever they went.
  assert.is(toHex(dumpsUser(makeAnn())), made.ann);
  assert.is(toHex(readFileSync(join(dir, "out.pkl"))), made.ann);
  assert.is(toHex(Buffer.concat(streamed)), made.ann);
  const { write: _write, ...usersGeneral } = users;
  assert.is(toHex(readFileSync(join(dir, "list.pkl"))), toHex(dumpsTyped(usersGeneral, list)));
});

test("an error inside the direct writer surfaces, on every dump entry point", async () => {
  const restore = broken(Pickler.prototype, "beginDictInstance");
  try {
    assert.throws(
      () => dumpsUser(makeAnn()),
      (e: unknown) => e instanceof TypeError && e.message === "injected",
    );
    assert.throws(
      () => dumpsTyped(users, [makeAnn()]),
      (e: unknown) => e instanceof TypeError && e.message === "injected",
    );
    await dumpUser(makeAnn(), join(dir, "broken.pkl")).then(
      () => assert.unreachable("written"),
      (e: unknown) => assert.ok(e instanceof TypeError && e.message === "injected"),
    );
  } finally {
    restore();
  }
});

test("an error inside the exact reader surfaces, on every load entry point (trial reads of a list item too)", async () => {
  writeFileSync(join(dir, "ann.pkl"), ann);
  for (const method of ["newobj", "stateBegin"]) {
    const restore = broken(ExactReader.prototype, method);
    try {
      assert.throws(
        () => loadsUser(ann),
        (e: unknown) => e instanceof TypeError && e.message === "injected",
        method,
      );
      // [ann] is EMPTY_LIST, the user, APPEND: the user is read on trial (the list might have ended).
      assert.throws(
        () => loadsTyped(users, fromHex(made.one!)),
        (e: unknown) => e instanceof TypeError && e.message === "injected",
        method,
      );
      await loadUser(join(dir, "ann.pkl")).then(
        () => assert.unreachable("read"),
        (e: unknown) => assert.ok(e instanceof TypeError && e.message === "injected"),
      );
    } finally {
      restore();
    }
  }
});

test("what the exact reader cannot decode is a miss; the general reader words it", () => {
  const exactly = (bytes: Uint8Array) => {
    const r = new ExactReader(bytes);
    r.begin();
    UserCodec.read!(r);
    r.finish();
  };
  // The name 'Ann' with a byte that is not UTF-8.
  const badUtf8 = ann.slice();
  badUtf8[toHex(ann).indexOf("8c03416e6e") / 2 + 2] = 0xff;
  // The datetime's 10 bytes (SHORT_BINBYTES 0a …) with day 0, then with month 13.
  const at = toHex(ann).indexOf("430a07e8") / 2;
  const dayZero = ann.slice();
  dayZero[at + 5] = 0;
  const month13 = ann.slice();
  month13[at + 4] = 13;
  for (const [what, bytes, message] of [
    ["invalid UTF-8", badUtf8, /'utf-8' codec can't decode byte at position 0/],
    ["day 0", dayZero, /day is out of range for month/],
    ["month 13", month13, /datetime/],
  ] as const) {
    assert.throws(
      () => exactly(bytes),
      (e: unknown) => e instanceof FastPathMiss,
      what,
    );
    assert.throws(
      () => loadsUser(bytes),
      (e: unknown) => e instanceof UnpicklingError && message.test((e as Error).message),
      what,
    );
  }
});

test.run();
