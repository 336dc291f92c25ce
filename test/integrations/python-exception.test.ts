// The shared reading of a Python peer's exception (runtime/integrations/python-exception*.ts), which
// typed-pickle/celery (a failure's exception) and typed-pickle/managers (an #ERROR reply) both use:
// the built-in exception names, the class-name rule, the data shape and its str(), and the opaque
// re-read. CPython is the oracle for the names and for str(exc).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyGlobal, PyObject, PyTuple, ReductionError, SET_STATE, STANDARD_GLOBALS, UnpicklingError, dumps, type PyValue } from "../../runtime/index.ts";
import { exceptionAsData, holdsUnknown, rereadWithException, type ExceptionSlot } from "../../runtime/integrations/python-exception-as-data.ts";
import { BUILTIN_EXCEPTION_NAMES, isExceptionClassName } from "../../runtime/integrations/python-exception-names.ts";
import { PythonException } from "../../runtime/integrations/python-exception.ts";
import { RemoteError, decodeReply } from "../../runtime/integrations/managers/index.ts";
import { parseTaskResult } from "../../runtime/integrations/celery/index.ts";
import type { NamedCodec } from "../../runtime/typed/codec.ts";
import { fromHex, runPython } from "../support/python.ts";

const test = suite("integrations/python-exception");

const call = (module: string, name: string, args: PyValue[], how: "reduce" | "newobj" = "reduce") => new PyObject(new PyGlobal(module, name), args, null, how);

test("the built-in names are CPython's exception classes, by the name a pickle writes (aliases left out)", () => {
  const python: { names: string[]; version: number[] } = JSON.parse(
    runPython([
      "-c",
      `import builtins, json, sys
names = sorted(n for n, c in vars(builtins).items() if isinstance(c, type) and issubclass(c, BaseException) and c.__name__ == n)
print(json.dumps({"names": names, "version": list(sys.version_info[:2])}))`,
    ]),
  );
  const expected = new Set(python.names);
  // 3.13 adds PythonFinalizationError; a 3.13 peer may send it.
  expected.add("PythonFinalizationError");
  assert.equal([...BUILTIN_EXCEPTION_NAMES].sort(), [...expected].sort());
  assert.not.ok(BUILTIN_EXCEPTION_NAMES.has("IOError"), "IOError pickles as OSError");
});

test("a class name: a built-in exception in builtins, CapWords (every part of a nested qualname) elsewhere", () => {
  const yes: [string, string][] = [
    ["builtins", "KeyError"],
    ["builtins", "ExceptionGroup"],
    ["myapp.errors", "QuotaError"],
    ["celery_app", "PaymentDeclined"],
    ["myapp.errors", "Outer.Failed"],
    ["myapp", "HTTP_Error2"],
  ];
  const no: [string, string][] = [
    ["builtins", "eval"],
    ["builtins", "NotImplemented"],
    ["builtins", "Ellipsis"],
    ["builtins", "IOError"],
    ["posix", "system"],
    ["os", "system"],
    ["myapp.errors", "Outer.helper"],
    ["myapp.errors", "make.<locals>.Failed"],
    ["myapp.errors", "_Private"],
    ["myapp.errors", ""],
  ];
  for (const [module, name] of yes) assert.ok(isExceptionClassName(module, name), `${module}.${name}`);
  for (const [module, name] of no) assert.not.ok(isExceptionClassName(module, name), `${module}.${name}`);
});

test("message is what CPython's str(exc) prints; className drops builtins, qualifiedName keeps it", () => {
  const cases: [string, string, PyValue[], string][] = [
    ["builtins", "ValueError", [], "ValueError()"],
    ["builtins", "ValueError", ["boom: é"], "ValueError('boom: é')"],
    ["builtins", "KeyError", ["missing"], "KeyError('missing')"],
    ["builtins", "KeyError", [1n], "KeyError(1)"],
    ["builtins", "ZeroDivisionError", [3n], "ZeroDivisionError(3)"],
    ["builtins", "RuntimeError", ["over", 3n], "RuntimeError('over', 3)"],
    ["builtins", "LookupError", [new PyTuple([1n, "x"]), null], "LookupError((1, 'x'), None)"],
    ["builtins", "Exception", [["a", 1.5]], "Exception(['a', 1.5])"],
  ];
  const printed: string[] = JSON.parse(
    runPython(["-c", "import json, sys\nprint(json.dumps([str(eval(line)) for line in sys.stdin.read().splitlines()]))"], cases.map(([, , , py]) => py).join("\n")),
  );
  for (const [i, [module, name, args]] of cases.entries()) {
    assert.is(new PythonException(module, name, args).message, printed[i], cases[i]![3]);
  }
  const quota = new PythonException("myapp.errors", "QuotaError", ["over", 3n]);
  assert.equal([quota.className, quota.qualifiedName, quota.message], ["myapp.errors.QuotaError", "myapp.errors.QuotaError", "('over', 3)"]);
  const key = new PythonException("builtins", "KeyError", ["k"]);
  assert.equal([key.className, key.qualifiedName, key.message], ["KeyError", "builtins.KeyError", "'k'"]);
  // Only builtins.KeyError prints its argument's repr.
  assert.is(new PythonException("myapp", "KeyError", ["k"]).message, "k");
});

test("a long argument is clipped in the message, not printed whole", () => {
  const long = new PythonException("builtins", "ValueError", ["x".repeat(100_000), 1n]);
  assert.ok(long.message.length <= 2000, `${long.message.length} chars`);
  assert.is(long.args.length, 2);
});

test("BUILD: a dict state becomes the attributes; any other state is a ReductionError", () => {
  const e = new PythonException("celery_app", "PaymentDeclined", ["card declined", 12n]);
  e[SET_STATE](new Map([["code", "card"]]));
  assert.equal(e.attributes, new Map([["code", "card"]]));
  e[SET_STATE](null);
  assert.equal(e.attributes, new Map([["code", "card"]]));
  try {
    e[SET_STATE]("not a dict");
    assert.unreachable("accepted");
  } catch (err) {
    assert.instance(err, ReductionError);
    assert.match((err as Error).message, /the state of celery_app\.PaymentDeclined must be a dict/);
  }
});

test("exceptionAsData: cls(*args) of plain values with a dict state, and nothing else", () => {
  const quota = call("myapp.errors", "QuotaError", ["over", 3n]);
  quota.state = new Map<PyValue, PyValue>([["limit", 10n]]);
  const read = exceptionAsData(quota);
  assert.instance(read, PythonException);
  assert.equal([read!.module, read!.name, read!.args, read!.attributes], ["myapp.errors", "QuotaError", ["over", 3n], new Map([["limit", 10n]])]);
  assert.is(exceptionAsData(call("builtins", "KeyError", ["k"]))?.message, "'k'");
  assert.is(exceptionAsData(call("myapp.errors", "Outer.Failed", ["x"]))?.qualifiedName, "myapp.errors.Outer.Failed");

  const withState = (state: PyValue) => Object.assign(call("myapp", "Failed", []), { state });
  const withItems = Object.assign(call("myapp", "Failed", []), { listItems: [1n] });
  const refused: [string, PyValue][] = [
    ["a function", call("posix", "system", ["echo hi"])],
    ["a builtin that is no exception", call("builtins", "NotImplemented", [])],
    ["a NEWOBJ instance", call("myapp", "Failed", [], "newobj")],
    ["an unknown object in the args", call("myapp", "Failed", [call("posix", "system", ["echo hi"])])],
    ["an unknown global in the args", call("myapp", "Failed", [new PyGlobal("os", "system")])],
    ["a global deep in the args", call("myapp", "Failed", [[new Map<PyValue, PyValue>([["k", new PyGlobal("os", "system")]])]])],
    ["a state that is not a dict", withState(new PyTuple([null, new Map()]))],
    ["an unknown object in the state", withState(new Map<PyValue, PyValue>([["k", call("posix", "system", [])]]))],
    ["list items", withItems],
    ["kwargs", new PyObject(new PyGlobal("myapp", "Failed"), [], new Map([["a", 1n]]), "reduce")],
    ["not an object", "just text"],
    ["a callable that is no global", new PyObject("x", [], null, "reduce")],
  ];
  for (const [what, value] of refused) assert.is(exceptionAsData(value), null, what);
});

test("holdsUnknown ends on cycles and finds an opaque object or a global anywhere", () => {
  const cyclic: PyValue[] = [];
  cyclic.push(cyclic, new Map<PyValue, PyValue>([["k", cyclic]]));
  assert.not.ok(holdsUnknown(cyclic));
  cyclic.push(new PyTuple([new PyGlobal("os", "system")]));
  assert.ok(holdsUnknown(cyclic));
  assert.not.ok(holdsUnknown(null));
});

test("rereadWithException on CPython's pickles: the exception read as data only when nothing else is unknown", () => {
  const hex: string[] = JSON.parse(
    runPython([
      "-c",
      `import json, os, pickle
class Evil:
    def __reduce__(self):
        return (os.system, ("true",))
class Fake(Exception):
    pass
f = Fake("x", 2)
f.code = "card"
cases = [("#ERROR", f), ("#ERROR", Fake("x", Evil())), {"status": "FAILURE", "result": Fake("y")}, {"status": "FAILURE", "result": Fake("y"), "children": [Evil()]}, ("#ERROR", os.system)]
print(json.dumps([pickle.dumps(c, protocol=4).hex() for c in cases]))`,
    ]),
  );
  const [error, evilArg, meta, evilBeside, notException] = hex.map(fromHex) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  const errorReply = (m: PyValue): ExceptionSlot | null => (m instanceof PyTuple && m.items[0] === "#ERROR" ? { exception: m.items[1]!, rest: m.items[0] } : null);
  const failureMeta = (m: PyValue): ExceptionSlot | null =>
    m instanceof Map ? { exception: m.get("result") ?? null, rest: new Map([...m].filter(([k]) => k !== "result")) } : null;

  const read = rereadWithException(error, STANDARD_GLOBALS, errorReply);
  assert.equal([read?.exception.qualifiedName, read?.exception.args, read?.exception.attributes], ["__main__.Fake", ["x", 2n], new Map([["code", "card"]])]);
  assert.is(rereadWithException(evilArg, STANDARD_GLOBALS, errorReply), null);
  assert.is(rereadWithException(meta, STANDARD_GLOBALS, failureMeta)?.exception.message, "y");
  assert.is(rereadWithException(evilBeside, STANDARD_GLOBALS, failureMeta), null);
  assert.is(rereadWithException(notException, STANDARD_GLOBALS, errorReply), null);
  // The protocol's own shape decides: a meta is no #ERROR reply.
  assert.is(rereadWithException(meta, STANDARD_GLOBALS, errorReply), null);
  assert.is(rereadWithException(new Uint8Array([0x80, 0x04, 0x95]), STANDARD_GLOBALS, errorReply), null);
});

test("both integrations read an unlisted exception alike, and both refuse a builtin that is no exception", () => {
  const exception = call("myapp.errors", "QuotaError", ["over", 3n]);
  let remote: unknown;
  try {
    decodeReply(dumps(new PyTuple(["#ERROR", exception]), { protocol: 4 }));
  } catch (e) {
    remote = e;
  }
  assert.instance(remote, RemoteError);
  const failure = parseTaskResult(
    "t",
    dumps(
      new Map<PyValue, PyValue>([
        ["status", "FAILURE"],
        ["result", exception],
      ]),
      { protocol: 4 },
    ),
  ).exception;
  assert.equal([(remote as RemoteError).pythonClass, (remote as RemoteError).pythonMessage], [failure?.qualifiedName, failure?.message]);

  const notAnException = call("builtins", "NotImplemented", []);
  for (const read of [
    () => decodeReply(dumps(new PyTuple(["#ERROR", notAnException]), { protocol: 4 })),
    () =>
      parseTaskResult(
        "t",
        dumps(
          new Map<PyValue, PyValue>([
            ["status", "FAILURE"],
            ["result", notAnException],
          ]),
          { protocol: 4 },
        ),
      ),
  ]) {
    try {
      read();
      assert.unreachable("read");
    } catch (e) {
      assert.instance(e, UnpicklingError);
      assert.match((e as Error).message, /global 'builtins\.NotImplemented' is not allowed/);
    }
  }
});

test("managers: a RemoteError carries the exception as data, attributes too, whether the allowlist knew the class or not", () => {
  const quota = call("myapp.errors", "QuotaError", ["over", 3n]);
  quota.state = new Map<PyValue, PyValue>([["limit", 10n]]);
  const data = dumps(new PyTuple(["#ERROR", quota]), { protocol: 4 });
  // A result codec naming the class puts it on the allowlist: the strict read itself takes the reply.
  const quotaCodec: NamedCodec<never> = {
    describe: "myapp.errors.QuotaError",
    global: new PyGlobal("myapp.errors", "QuotaError"),
    parts: () => [],
    toPy: (_v, ctx) => ctx.fail("not written"),
    fromPy: (v, ctx) => ctx.expected("never", v),
  };
  for (const options of [{}, { result: quotaCodec }]) {
    let error: unknown;
    try {
      decodeReply(data, options);
    } catch (e) {
      error = e;
    }
    assert.instance(error, RemoteError);
    const { exception } = error as RemoteError;
    assert.instance(exception, PythonException);
    assert.equal([exception?.qualifiedName, exception?.args, exception?.attributes], ["myapp.errors.QuotaError", ["over", 3n], new Map([["limit", 10n]])]);
  }
});

test.run();
