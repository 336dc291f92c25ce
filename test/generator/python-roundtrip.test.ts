// The generated codecs against the Python classes they stand for (python/myapp): for every schema
// class and protocol 0–5, CPython's pickle loads through loadsC into a typed instance; our dumpsC of
// it loads in CPython to an equal object (shared objects and cycles kept), and at protocols 2–5 is
// byte-identical to pickle.dumps of that object.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { T, dumpsTyped, loadsTyped, PyDateTime, PyTimezone } from "typed-pickle";
import { SAMPLE_CODECS } from "../../examples/sample-codecs.ts";
import * as catalog from "../../generated/catalog.ts";
import * as connection from "../../generated/connection.ts";
import * as user from "../../generated/user.ts";
import { Category, Color, type Everything, Priority, SlotPoint } from "../../schemas/catalog.ts";
import { type DatabaseConnection, LiveConnection } from "../../schemas/connection.ts";
import { Address, User } from "../../schemas/user.ts";
import { fromHex, runPython, runPythonJsonLines, toHex } from "../support/python.ts";

const codecs = SAMPLE_CODECS;

const samples: Record<string, { class: string; pickles: (string | null)[] }> = JSON.parse(runPython(["schema_samples.py", "dump"]));

const test = suite("generated codecs vs the Python classes");

test("every sample loads from CPython's pickles at every protocol it can write", () => {
  let loaded = 0;
  const available = Object.values(samples).flatMap((s) => s.pickles.filter((p) => p !== null)).length;
  for (const s of Object.values(samples)) {
    for (const hex of s.pickles) {
      if (hex === null) continue; // CPython refuses __slots__ without __getstate__ at protocols 0/1
      loadsTyped(codecs[s.class]!, fromHex(hex));
      loaded++;
    }
  }
  assert.is(loaded, available);
  assert.ok(available >= 54, `${available} pickles`);
});

test("our dumps: CPython's bytes at protocols 2–5, and CPython loads every protocol to an equal object", () => {
  const lines: string[] = [];
  const mismatches: string[] = [];
  for (const [name, s] of Object.entries(samples)) {
    const codec = codecs[s.class]!;
    const source = s.pickles.find((p) => p !== null)!;
    const value = loadsTyped(codec, fromHex(source));
    for (let p = 0; p < 6; p++) {
      const ours = toHex(dumpsTyped(codec, value, { protocol: p }));
      lines.push(`${name} ${p} ${ours}`);
      if (p >= 2 && ours !== s.pickles[p]) mismatches.push(`${name} protocol ${p}:\n  ours:   ${ours.slice(0, 160)}\n  python: ${s.pickles[p]!.slice(0, 160)}`);
    }
  }
  assert.equal(mismatches, [], mismatches.join("\n"));
  const results = runPythonJsonLines<{ ok: boolean; got: string | null }>(["schema_samples.py", "check"], lines.join("\n"));
  const failures = results.flatMap((r, i) => (r.ok ? [] : [`${lines[i]!.split(" ").slice(0, 2).join(" protocol ")}: ${r.got}`]));
  assert.equal(failures, [], failures.join("\n"));
});

test("loaded instances are real instances with typed, converted fields", () => {
  const users = loadsTyped(T.list(user.UserCodec), fromHex(samples.users_sharing_an_address!.pickles[4]!));
  const [ann, bob, nobody] = users;
  assert.ok(ann instanceof User && ann.address instanceof Address);
  assert.is(ann.address, bob!.address, "one Address shared by two users stays one object");
  assert.is(ann.age, 37);
  assert.is(ann.isActive, true);
  assert.ok(ann.created instanceof PyDateTime && ann.created.microsecond === 678901 && ann.created.tzinfo !== null);
  assert.ok((ann.created.tzinfo as PyTimezone).isUtc);
  assert.is(nobody!.address, null);
  assert.equal(ann.cache, new Map(), "transient members get their initializer");

  const tree = loadsTyped(catalog.CategoryCodec, fromHex(samples.category_tree!.pickles[2]!));
  assert.ok(tree instanceof Category);
  assert.is(tree.children[0]!.parent, tree, "the parent back-reference is the same object");

  const e = loadsTyped(catalog.EverythingCodec, fromHex(samples.everything!.pickles[4]!)) as Everything;
  assert.is(e.huge, 2n ** 80n + 1n);
  assert.ok(Object.is(e.ratio, -0));
  assert.is(e.color, Color.GREEN);
  assert.is(e.priority, Priority.HIGH);
  assert.ok(e.point instanceof SlotPoint && e.point.y === -4);
  // biome-ignore lint/suspicious/noApproximativeNumericConstant: the value python/myapp's sample holds
  assert.equal(e.pair, ["pi", 3.14159]);
  assert.is(Object.getPrototypeOf(e.weights), null, "a Record from a pickle has no prototype");
  // biome-ignore lint/complexity/useLiteralKeys: the key under test, as data (e.__proto__ would read the prototype slot)
  // biome-ignore lint/suspicious/noProto: the same key, read as an own property of a prototype-less record
  assert.is(e.weights["__proto__"], 1.5, "so a '__proto__' key is only a key");
  assert.is(e.nickname, undefined);
  assert.equal([...e.keyedByTuple.values()], ["one-two", "three-four"]);

  const conn = loadsTyped(connection.DatabaseConnectionCodec, fromHex(samples.connection!.pickles[3]!)) as DatabaseConnection;
  assert.ok(conn.connection instanceof LiveConnection, "@afterLoad reconnected");
  assert.is(conn.connection!.target, "postgresql://db/app");
  assert.is(conn.lastAccessed.microsecond, 123456);
});

test("values made in TypeScript pickle to what CPython writes for the same objects", () => {
  const home = Object.assign(new Address(), { street: "1 Main St", zip: "12345" });
  const ann = Object.assign(new User(), {
    name: "Ann",
    age: 37,
    score: 4.5,
    hobbies: ["chess", "go"],
    isActive: true,
    address: home,
    created: new PyDateTime(2024, 1, 2, 3, 4, 5, 678901, PyTimezone.utc),
  });
  for (let p = 2; p < 6; p++) assert.is(toHex(user.dumpsUser(ann, { protocol: p })), samples.user!.pickles[p], `protocol ${p}`);
});

test.run();
