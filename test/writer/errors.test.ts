// What cannot be pickled fails with PicklingError and the path to the value, as Python refuses
// open files, connections and threads.
import { Readable } from "node:stream";
import { Socket } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleError, PicklingError, PyObject, PyGlobal, PyTuple, dumps, type PyValue } from "../../runtime/index.ts";

function refusal(value: unknown, options = {}): PicklingError {
  try {
    dumps(value as PyValue, options);
  } catch (e) {
    assert.instance(e, PicklingError);
    assert.instance(e, PickleError);
    return e as PicklingError;
  }
  throw new Error("accepted");
}

const test = suite("writer errors");

test("a function deep inside: the path says where", () => {
  const users = [1, 2, 3].map((n) => ({ name: `u${n}`, age: BigInt(n) }));
  const value = { users: [...users, { name: "x", onChange: () => {} }] };
  const e = refusal(value);
  assert.is(e.path, "$.users[3].onChange");
  assert.is(e.message, "$.users[3].onChange: a function cannot be pickled");
});

test("each kind of unpicklable value, with its path", () => {
  class Widget {}
  const cases: [unknown, string, RegExp][] = [
    [[undefined], "$[0]", /undefined cannot be pickled/],
    [new Map([["k", Symbol("s")]]), "$.k", /a symbol cannot be pickled/],
    [new Map([[1n, Promise.resolve(1)]]), "$[1]", /a Promise cannot be pickled/],
    [[new PyTuple([1n, new Readable() as unknown as PyValue])], "$[0][1]", /a Readable cannot be pickled/],
    [{ conn: new Socket() }, "$.conn", /a Socket cannot be pickled/],
    [{ "not an identifier": new Widget() }, '$["not an identifier"]', /a Widget cannot be pickled/],
    [new Set([() => 1]), "$.<member 0>", /a function cannot be pickled/],
  ];
  for (const [value, path, reason] of cases) {
    const e = refusal(value);
    assert.is(e.path, path, e.message);
    assert.match(e.message, reason);
  }
});

test("inside an opaque object's state", () => {
  const o = new PyObject(new PyGlobal("app", "Thing"), []);
  o.state = new Map<PyValue, PyValue>([["callback", (() => 0) as unknown as PyValue]]);
  assert.is(refusal([o]).path, "$[0].state.callback");
});

test("protocol limits are PicklingErrors too", () => {
  assert.match(refusal(1n, { protocol: 6 }).message, /protocol must be an integer from 0 to 5/);
  assert.match(refusal([new PyGlobal("módulo", "x")], { protocol: 2 }).message, /can't pickle module identifier/);
});

test.run();
