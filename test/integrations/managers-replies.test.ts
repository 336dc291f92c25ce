// The manager protocol's reply layer without a server: replies made by hand (with our writer), read by
// decodeReply; and the request channel's ordering and failure rules over a scripted transport.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyGlobal, PyObject, PyTuple, UnpicklingError, dumps, loads } from "../../runtime/index.ts";
import { ManagerProtocolError, RemoteError, decodeReply, encodeRequest, type ManagerTransport } from "../../runtime/integrations/managers/index.ts";
import { RequestChannel } from "../../runtime/integrations/managers/request-channel.ts";
import { runPython } from "../support/python.ts";

const test = suite("integrations/managers-replies");

const reply = (kind: string, result: Parameters<typeof dumps>[0]) => dumps(new PyTuple([kind, result]), { protocol: 4 });
const call = (module: string, name: string, args: PyObject["args"], how: "reduce" | "newobj" = "reduce") => new PyObject(new PyGlobal(module, name), args, null, how);

function token(state: Parameters<typeof dumps>[0]): PyObject {
  const t = call("multiprocessing.managers", "Token", [], "newobj");
  t.state = state;
  return t;
}

function throws(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

test("a #PROXY reply gives the exposed methods and the token's typeid and id", () => {
  const good = reply("#PROXY", new PyTuple([new PyTuple(["get", "put"]), token(new PyTuple(["Child", new PyTuple(["127.0.0.1", 5000n]), "7f00"]))]));
  assert.equal(decodeReply(good), { kind: "#PROXY", exposed: ["get", "put"], token: { typeid: "Child", id: "7f00" } });
});

test("malformed replies are ManagerProtocolErrors", () => {
  const cases: [string, Uint8Array][] = [
    ["not a pair", dumps("#RETURN")],
    ["an unknown kind", reply("#WHAT", null)],
    ["a traceback that is not text", reply("#TRACEBACK", 42n)],
    ["a token with the wrong state", reply("#PROXY", new PyTuple([new PyTuple([]), token(new PyTuple([1n, 2n]))]))],
    ["a dict where the token goes", reply("#PROXY", new PyTuple([new PyTuple([]), new Map()]))],
    ["exposed names that are not str", reply("#PROXY", new PyTuple([new PyTuple([1n]), token(new PyTuple(["T", null, "1"]))]))],
    ["an #ERROR that is not an exception", reply("#ERROR", "just text")],
  ];
  for (const [what, data] of cases) {
    const e = throws(() => decodeReply(data));
    assert.ok(e instanceof ManagerProtocolError, `${what}: ${e}`);
  }
});

test("an #ERROR's exception of any class is reported as data: class name and args, nothing built or called", () => {
  const quota = call("myapp.errors", "QuotaError", ["over", 3n]);
  quota.state = new Map([["limit", 10n]]);
  const e = throws(() => decodeReply(reply("#ERROR", quota))) as RemoteError;
  assert.ok(e instanceof RemoteError);
  assert.equal([e.kind, e.pythonClass, e.pythonMessage, e.pythonArgs], ["#ERROR", "myapp.errors.QuotaError", "('over', 3)", ["over", 3n]]);
  const nested = throws(() => decodeReply(reply("#ERROR", call("myapp.errors", "Outer.Failed", ["x"])))) as RemoteError;
  assert.is(nested.pythonClass, "myapp.errors.Outer.Failed");
});

test("an #ERROR in any other shape keeps the allowlist's refusal", () => {
  const shapes: [string, Parameters<typeof dumps>[0]][] = [
    ["a function, not a class", call("posix", "system", ["echo hi"])],
    ["an unknown object in the args", call("myapp.errors", "Failed", [call("posix", "system", ["echo hi"])])],
    ["an unknown global in the args", call("myapp.errors", "Failed", [new PyGlobal("os", "system")])],
    ["a NEWOBJ instance", call("myapp.errors", "Failed", [], "newobj")],
  ];
  for (const [what, exception] of shapes) {
    const e = throws(() => decodeReply(reply("#ERROR", exception)));
    assert.ok(e instanceof UnpicklingError, `${what}: ${e}`);
    assert.match(e.message, /is not allowed/, what);
  }
  // The same global in a #RETURN is refused by the allowlist.
  const refused = throws(() => decodeReply(reply("#RETURN", call("posix", "system", ["echo hi"]))));
  assert.ok(refused instanceof UnpicklingError);
  assert.match(refused.message, /global 'posix\.system' is not allowed/);
});

test("#TRACEBACK and #UNSERIALIZABLE: the last line names the exception", () => {
  const text = 'Traceback (most recent call last):\n  File "x.py", line 1, in f\nmyapp.errors.Boom: it broke\n';
  const e = throws(() => decodeReply(reply("#TRACEBACK", text))) as RemoteError;
  assert.equal([e.kind, e.pythonClass, e.pythonMessage, e.traceback], ["#TRACEBACK", "myapp.errors.Boom", "it broke", text]);
  const u = throws(() => decodeReply(reply("#UNSERIALIZABLE", "Traceback...\nTypeError: cannot pickle '_thread.lock' object\n"))) as RemoteError;
  assert.equal([u.kind, u.pythonClass, u.pythonMessage], ["#UNSERIALIZABLE", "builtins.TypeError", "cannot pickle '_thread.lock' object"]);
});

test("builtins.list is allowed only as the list() a dict view is sent as", () => {
  assert.equal(decodeReply(reply("#RETURN", call("builtins", "list", [["a", 1n]]))), { kind: "#RETURN", value: ["a", 1n] });
  const e = throws(() => decodeReply(reply("#RETURN", call("builtins", "list", ["abc"]))));
  assert.ok(e instanceof UnpicklingError);
  assert.match(e.message, /takes one list/);
});

test("requests are the tuples Python's server unpacks", () => {
  const request = encodeRequest("7f00", "put", ["job", 1n, 2.5, null], { block: true });
  assert.ok(loads(request) instanceof PyTuple);
  const seen = runPython(["-c", "import pickle,sys; print(repr(pickle.loads(bytes.fromhex(sys.stdin.read()))))"], Buffer.from(request).toString("hex"));
  assert.is(seen.trim(), "('7f00', 'put', ('job', 1, 2.5, None), {'block': True})");
});

/** A transport whose replies are scripted: each recvBytes takes the next one (an Error rejects). */
function scripted(replies: (Uint8Array | Error)[]): ManagerTransport & { sent: string[]; closed: boolean } {
  const transport = {
    sent: [] as string[],
    closed: false,
    async sendBytes(frame: Uint8Array) {
      const request = loads(frame) as PyTuple;
      transport.sent.push(String(request.items[1]));
    },
    async recvBytes() {
      await new Promise((resolve) => setTimeout(resolve, 1));
      const next = replies.shift();
      if (next === undefined || next instanceof Error) throw next ?? new Error("no reply scripted");
      return next;
    },
    close() {
      transport.closed = true;
    },
  };
  return transport;
}

test("a channel sends one request at a time; a refused reply keeps it, a failed connection breaks it", async () => {
  const transport = scripted([reply("#RETURN", "one"), reply("#RETURN", call("posix", "system", [])), reply("#RETURN", "three"), new Error("connection reset")]);
  const channel = new RequestChannel(transport);
  const results = await Promise.allSettled([
    channel.request(encodeRequest("1", "a", [], {})),
    channel.request(encodeRequest("1", "b", [], {})),
    channel.request(encodeRequest("1", "c", [], {})),
    channel.request(encodeRequest("1", "d", [], {})),
  ]);
  assert.equal(transport.sent, ["a", "b", "c", "d"]);
  assert.equal(results[0], { status: "fulfilled", value: { kind: "#RETURN", value: "one" } });
  assert.ok(results[1]!.status === "rejected" && results[1].reason instanceof UnpicklingError);
  assert.equal(results[2], { status: "fulfilled", value: { kind: "#RETURN", value: "three" } });
  assert.ok(results[3]!.status === "rejected" && /connection reset/.test(String(results[3].reason)));
  assert.ok(transport.closed);
  const after = await channel.request(encodeRequest("1", "e", [], {})).catch((e: Error) => e);
  assert.match(String(after), /connection reset/);
  assert.equal(transport.sent, ["a", "b", "c", "d"]);
});

test.run();
