// The write option `strings`: "shared" (default) memoizes every str by value; "fresh" writes each str
// a field or list item holds as a new object, as CPython does for strings built at run time. Checked
// against CPython's own pickles of objects whose equal strs are distinct objects (built at run time),
// on the direct writer and on the general one (a codec without its fast path), and loaded back in
// CPython.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Pickler, PicklingError, T, type WriteOptions, dumpsTyped, loadsTyped } from "typed-pickle";
import { UserCodec } from "../../generated/user.ts";
import { fromHex, runPython, toHex } from "../support/python.ts";

// Two users whose equal strs ("1 Main St", "chess", "Ann") are distinct objects, built at run time;
// "x" is a one-character str, one cached object in CPython however made. Field names are interned.
const made: Record<string, string> = JSON.parse(
  runPython([
    "-c",
    `
import datetime, json, pickle
from myapp.models import Address, User
def fresh(s):
    return "".join(list(s))
def user():
    return User(fresh("Ann"), 37, 4.5, [fresh("chess"), fresh("x"), fresh("chess")], True, Address(fresh("1 Main St"), fresh("12345")), datetime.datetime(2024, 1, 2))
users = [user(), user()]
assert users[0].name is not users[1].name and users[0].hobbies[1] is users[1].hobbies[1]
print(json.dumps({p: pickle.dumps(users, p).hex() for p in (2, 3, 4, 5)}))
`,
  ]),
);

const users = T.list(UserCodec);
const { write: _write, ...usersGeneral } = users; // the same codec without its direct writer

/** CPython's loads of each hex pickle, compared with the original users (== on every field). */
function cpythonLoadsEqual(pickles: string[]): boolean[] {
  const out = runPython(
    [
      "-c",
      `
import json, pickle, sys
def same(a, b):
    return [vars(u) | {"address": vars(u.address)} for u in a] == [vars(u) | {"address": vars(u.address)} for u in b]
for line in sys.stdin.read().split():
    ours, theirs = (pickle.loads(bytes.fromhex(h)) for h in line.split(","))
    print(json.dumps(same(ours, theirs)))
`,
    ],
    pickles.join("\n"),
  );
  return out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as boolean);
}

/** Counts direct-writer pickles begun while `f` runs. */
function directWrites(f: () => unknown): number {
  const original = Pickler.prototype.beginDirect;
  let n = 0;
  Pickler.prototype.beginDirect = function (this: Pickler) {
    n++;
    return original.call(this);
  };
  try {
    f();
  } finally {
    Pickler.prototype.beginDirect = original;
  }
  return n;
}

const test = suite("strings: shared and fresh");

test('"fresh" writes CPython\'s own bytes for distinct equal strs, directly and through the general writer, at protocols 2–5', () => {
  for (const p of [2, 3, 4, 5]) {
    const cpython = made[p]!;
    const value = loadsTyped(users, fromHex(cpython));
    const options: WriteOptions = { protocol: p, strings: "fresh" };
    let direct = "";
    assert.is(
      directWrites(() => (direct = toHex(dumpsTyped(users, value, options)))),
      1,
      "the direct writer ran",
    );
    assert.is(direct, cpython, `direct, protocol ${p}`);
    assert.is(toHex(dumpsTyped(usersGeneral, value, options)), cpython, `general, protocol ${p}`);
  }
});

test('"shared" (the default) writes equal strs once: smaller, and CPython loads both to equal objects', () => {
  const cpython = made[4]!;
  const value = loadsTyped(users, fromHex(cpython));
  const shared = toHex(dumpsTyped(users, value));
  assert.is(toHex(dumpsTyped(users, value, { strings: "shared" })), shared);
  assert.is(toHex(dumpsTyped(usersGeneral, value)), shared, "the general writer agrees");
  assert.ok(shared.length < cpython.length, "equal strs fetched from the memo");
  const fresh = toHex(dumpsTyped(users, value, { strings: "fresh" }));
  assert.equal(cpythonLoadsEqual([`${shared},${cpython}`, `${fresh},${cpython}`]), [true, true]);
});

test('"fresh" keeps one object shared: a list held twice is written once', () => {
  const value = loadsTyped(users, fromHex(made[4]!));
  value[1]!.hobbies = value[0]!.hobbies;
  const direct = toHex(dumpsTyped(users, value, { strings: "fresh" }));
  assert.is(direct, toHex(dumpsTyped(usersGeneral, value, { strings: "fresh" })));
  const back = loadsTyped(users, fromHex(direct));
  assert.is(back[0]!.hobbies, back[1]!.hobbies);
});

test("any other strings value is refused", () => {
  const value = loadsTyped(users, fromHex(made[4]!));
  assert.throws(
    () => dumpsTyped(users, value, { strings: "interned" as never }),
    (e: unknown) => e instanceof PicklingError && /strings must be "shared" or "fresh", not "interned"/.test(e.message),
  );
});

test.run();
