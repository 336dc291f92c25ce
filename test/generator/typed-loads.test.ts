// Typed loading validates: wrong class, missing field, wrong type — with a path and an offset; only
// the schema's classes can appear; unknown attributes are kept and written back (or refused, strict).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyGlobal, PyObject, UnpicklingError, PyDateTime, loads, loadsTyped, dumps, type PyValue } from "typed-pickle";
import { CategoryCodec } from "../../generated/catalog.ts";
import { dumpUser, dumpsUser, loadUser, loadsUser } from "../../generated/user.ts";
import { Address, User } from "../../schemas/user.ts";
import { fromHex, runPython, toHex } from "../support/python.ts";

/** Pickles made by python3 from the classes in python/myapp, with variations. */
const made: Record<string, string> = JSON.parse(
  runPython([
    "-c",
    `
import datetime, json, os, pickle, subprocess
from myapp.models import Address, User
ann = User("Ann", 37, 4.5, ["chess"], True, Address("1 Main St", 12345), datetime.datetime(2024, 1, 2))
out = {"zip_is_int": pickle.dumps(ann, 4).hex()}
ok = User("Ann", 37, 4.5, ["chess"], True, Address("1 Main St", "12345"), datetime.datetime(2024, 1, 2))
ok.nickname = "annie"          # the Python class gained an attribute
out["extra_attribute"] = pickle.dumps(ok, 4).hex()
old = User("Old", 1, 0.0, [], True, None, datetime.datetime(2000, 1, 1))
del old.score, old.hobbies     # an older pickle without the fields that have defaults
out["old_version"] = pickle.dumps(old, 2).hex()
del old.age
out["missing_age"] = pickle.dumps(old, 2).hex()
out["address_not_user"] = pickle.dumps(Address("x", "y"), 4).hex()
big = User("Big", 2**60, 0.0, [], True, None, datetime.datetime(2000, 1, 1))
out["age_too_big"] = pickle.dumps(big, 4).hex()
class Exploit:
    def __reduce__(self):
        return (subprocess.Popen, (('echo', 'I am a security breach!'),))
out["exploit"] = pickle.dumps(Exploit(), 4).hex()
ann.address = Exploit()
out["nested_exploit"] = pickle.dumps(ann, 2).hex()
print(json.dumps(out))
`,
  ]),
);

function refusal(hex: string): UnpicklingError {
  try {
    loadsUser(fromHex(hex));
  } catch (e) {
    assert.instance(e, UnpicklingError);
    return e as UnpicklingError;
  }
  throw new Error("accepted");
}

const test = suite("typed loads");

test("a wrong type names the path, with the Python names, and the offset of the object", () => {
  const e = refusal(made.zip_is_int!);
  assert.match(e.message, /^User\.address\.zip_code: expected str, got int 12345 \(offset \d+, NEWOBJ\)$/);
  assert.ok(e.offset > 0);
  // The offset is the Address's NEWOBJ: the opcode there is NEWOBJ.
  assert.is(fromHex(made.zip_is_int!)[e.offset], 0x81);
});

test("the wrong class and a missing field", () => {
  assert.match(refusal(made.address_not_user!).message, /^User: expected myapp\.models\.User, got myapp\.models\.Address/);
  assert.match(refusal(made.missing_age!).message, /^User\.age: missing \(the pickle has no such attribute and the field has no default\)/);
});

test("an int beyond 2^53 in an int field points to bigint", () => {
  assert.match(refusal(made.age_too_big!).message, /User\.age: int 1152921504606846976 is beyond 2\^53 and would lose precision as a number; declare the field bigint/);
});

test("fields with defaults may be absent (an older version of the class)", () => {
  const old = loadsUser(fromHex(made.old_version!));
  assert.is(old.score, 0);
  assert.equal(old.hobbies, []);
  assert.is(old.name, "Old");
});

test("unknown attributes are kept and written back; strict refuses them", () => {
  const u = loadsUser(fromHex(made.extra_attribute!));
  assert.equal(Object.keys(u).includes("nickname"), false, "not a property of the instance");
  const back = loads(dumpsUser(u), { mode: "opaque" }) as PyValue;
  const state = (back as unknown as { state: Map<string, PyValue> }).state;
  assert.is(state.get("nickname"), "annie");
  assert.equal([...state.keys()], ["name", "age", "score", "hobbies", "is_active", "address", "created", "nickname"]);
  // Byte for byte what Python wrote, since nothing was lost.
  assert.is(toHex(dumpsUser(u)), made.extra_attribute);
  assert.throws(() => loadsUser(fromHex(made.extra_attribute!), { strict: true }), /User: unknown attribute 'nickname' \(strict\)/);
});

test("the classic exploit fails with the global's name and runs nothing", () => {
  const marker = join(mkdtempSync(join(tmpdir(), "typed-pickle-exploit-")), "ran");
  const e = refusal(made.exploit!);
  assert.match(e.message, /^global 'subprocess\.Popen' is not allowed \(offset \d+, STACK_GLOBAL\)$/);
  const nested = refusal(made.nested_exploit!);
  assert.match(nested.message, /global 'subprocess\.Popen' is not allowed \(offset \d+, GLOBAL\)/);
  assert.throws(() => readFileSync(marker));
});

test("dumpUser / loadUser through a file", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "typed-pickle-user-")), "user.pkl");
  const u = Object.assign(new User(), {
    name: "Cy",
    age: 5,
    score: 1,
    hobbies: [],
    isActive: false,
    address: Object.assign(new Address(), { street: "s", zip: "z" }),
    created: new PyDateTime(2001, 2, 3),
  });
  await dumpUser(u, path);
  const back = await loadUser(path);
  assert.ok(back instanceof User);
  assert.equal({ ...back, cache: undefined }, { ...u, cache: undefined });
  assert.equal(readFileSync(path), Buffer.from(dumpsUser(u)));
});

test("loadUser from a file holding two pickles reads the first; from a stream too; an empty file is refused", async () => {
  const dir = mkdtempSync(join(tmpdir(), "typed-pickle-two-"));
  const make = (name: string) => Object.assign(new User(), { name, age: 5, score: 1, hobbies: ["a"], isActive: true, address: null, created: new PyDateTime(2001, 2, 3) });
  const both = Buffer.concat([dumpsUser(make("first")), dumpsUser(make("second"))]);
  writeFileSync(join(dir, "two.pkl"), both);
  assert.is((await loadUser(join(dir, "two.pkl"))).name, "first");
  const chunks = async function* () {
    for (let i = 0; i < both.length; i += 7) yield new Uint8Array(both.subarray(i, i + 7));
  };
  assert.is((await loadUser(chunks())).name, "first");
  writeFileSync(join(dir, "empty.pkl"), new Uint8Array(0));
  await loadUser(join(dir, "empty.pkl")).then(
    () => assert.unreachable("an empty file was read"),
    (e: unknown) => assert.instance(e, UnpicklingError),
  );
});

test("a value the schema does not allow is a PicklingError with the path", () => {
  const u = Object.assign(new User(), { name: "x", age: 1.5, score: 0, hobbies: [], isActive: true, address: null, created: new PyDateTime(2000, 1, 1) });
  assert.throws(() => dumpsUser(u), /User\.age: expected a safe integer for int, got number 1\.5/);
  (u as { age: number }).age = 1;
  (u as unknown as { hobbies: unknown[] }).hobbies = ["ok", 3];
  assert.throws(() => dumpsUser(u), /User\.hobbies\[1\]: expected a string for str, got number 3/);
  void dumps;
});

test("a value too deep for the typed conversion is an UnpicklingError, not a stack overflow", () => {
  // A 200,000-level parent chain, written by the (iterative) generic writer.
  const category = new PyGlobal("myapp.catalog", "Category");
  let node: PyValue = null;
  for (let i = 0; i < 200_000; i++) {
    const o = new PyObject(category, []);
    o.state = new Map<PyValue, PyValue>([
      ["name", `c${i}`],
      ["parent", node],
      ["children", []],
    ]);
    node = o;
  }
  const bytes = dumps(node);
  assert.throws(
    () => loadsTyped(CategoryCodec, bytes),
    (e: unknown) => e instanceof UnpicklingError && /nested too deeply for a typed codec/.test((e as Error).message),
  );
  // With the generic depth limit asked for, the reader refuses it first.
  assert.throws(() => loadsTyped(CategoryCodec, bytes, { limits: { maxDepth: 10_000 } }), /nesting depth exceeds the limit of 10000/);
});

test.run();
