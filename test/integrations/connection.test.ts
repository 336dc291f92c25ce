// Our Client against python3's own multiprocessing.connection.Listener (3.11: the legacy MD5
// handshake), over TCP and a Unix socket: values, frames up to 20 MiB, the receive limit, a wrong
// key, a hostile pickle, typed records, timeouts. One Python listener per family serves every case.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { User } from "../../schemas/user.ts";
import { UserCodec } from "../../generated/user.ts";
import { PickleError, PyDateTime, PyTuple, UnpicklingError } from "../../runtime/index.ts";
import {
  type Address,
  AuthenticationError,
  BufferTooShort,
  Client,
  type ClientOptions,
  ConnectionClosedError,
  ConnectionTimeoutError,
  type Connection,
  FrameTooLargeError,
  ProcessError,
} from "../../runtime/integrations/connection/index.ts";
import { PythonPeer, rejection } from "./connection-peer.ts";

const test = suite("integrations/connection: our Client, Python's Listener");

const AUTHKEY = "s3cret";
let tcp: PythonPeer;
let unix: PythonPeer;
let tcpAddress: Address;
let unixAddress: Address;

test.before(async () => {
  tcp = PythonPeer.start("mp_peer.py", ["listen", "tcp", AUTHKEY]);
  unix = PythonPeer.start("mp_peer.py", ["listen", "unix", AUTHKEY]);
  tcpAddress = (await tcp.address()) as Address;
  unixAddress = await unix.address();
});

test.after(() => {
  tcp?.kill();
  unix?.kill();
});

/** A connection to the TCP listener, closed after `body` whatever happens. */
async function withConnection(body: (connection: Connection) => Promise<void>, options: ClientOptions = {}, peer = tcp, address = tcpAddress): Promise<void> {
  const connection = await Client(address, { authkey: AUTHKEY, ...options });
  assert.is((await peer.next()).event, "accepted");
  try {
    await body(connection);
  } finally {
    await connection.close();
    assert.is((await peer.next()).event, "closed");
  }
}

const values = () => [
  null,
  true,
  123456789012345678901234567890n,
  -7n,
  1.5,
  "héllo ✓",
  new Uint8Array([0, 1, 255]),
  [1n, [2n, "x"], new Map([["k", new PyTuple([1n, 2n])]])],
  new PyDateTime(2024, 2, 29, 23, 59, 58, 123456),
];

test("values round-trip through Python's recv/send over TCP; the handshake fell back to MD5 both ways with a 3.11 peer", async () => {
  await withConnection(async (connection) => {
    assert.equal(connection.handshake, { peer: "md5", ours: "md5" });
    for (const value of values()) {
      await connection.send(new PyTuple(["echo", value]));
      assert.equal(await connection.recv(), value);
    }
  });
});

test("a Unix socket works the same", async () => {
  await withConnection(
    async (connection) => {
      await connection.send(new PyTuple(["echo", ["over", "unix"]]));
      assert.equal(await connection.recv(), ["over", "unix"]);
    },
    {},
    unix,
    unixAddress,
  );
});

test("a wrong authkey: AuthenticationError here (a PickleError), and Python's Listener refuses us", async () => {
  const error = await rejection(Client(tcpAddress, { authkey: "not the key" }), AuthenticationError);
  assert.instance(error, PickleError);
  assert.match(error.message, /authkey/);
  const event = await tcp.next();
  assert.is(event.event, "auth-failed");
  assert.match(event.message ?? "", /digest received was wrong/);
});

test("20 MiB frames both ways, byte for byte", async () => {
  const size = 20 * 1024 * 1024;
  // What mp_peer.py's "bytes" command sends: byte i is i mod 251.
  const expected = new Uint8Array(size);
  for (let i = 0; i < size; i++) expected[i] = i % 251;
  await withConnection(
    async (connection) => {
      await connection.send(new PyTuple(["bytes", BigInt(size)]));
      const received = await connection.recvBytes();
      assert.is(received.length, size);
      assert.ok(Buffer.from(received).equals(Buffer.from(expected)), "Python's 20 MiB frame arrives intact");
      const ours = new Uint8Array(size);
      for (let i = 0; i < size; i++) ours[i] = 255 - expected[i]!;
      await connection.send(new PyTuple(["echo_bytes"]));
      await connection.sendBytes(ours);
      assert.ok(Buffer.from(await connection.recvBytes()).equals(Buffer.from(ours)), "our 20 MiB frame went and came back intact");
    },
    { maxFrameBytes: 32 * 1024 * 1024 },
  );
});

test("a frame above the limit is refused before it is read, and the connection is closed", async () => {
  const connection = await Client(tcpAddress, { authkey: AUTHKEY, maxFrameBytes: 1024 * 1024 });
  assert.is((await tcp.next()).event, "accepted");
  await connection.send(new PyTuple(["bytes", 2n * 1024n * 1024n]));
  const error = await rejection(connection.recvBytes(), FrameTooLargeError);
  assert.is(error.announced, 2 * 1024 * 1024);
  assert.is(error.limit, 1024 * 1024);
  assert.ok(connection.closed);
  await rejection(connection.recv(), ConnectionClosedError);
  await rejection(connection.send("more"), ConnectionClosedError);
  // Python sees us go: its send fails or its next recv ends.
  const events = [(await tcp.next()).event];
  if (events[0] === "dropped") events.push((await tcp.next()).event);
  assert.is(events.at(-1), "closed");
});

test("recvBytes(maxLength) refuses a longer frame the same way", async () => {
  const connection = await Client(tcpAddress, { authkey: AUTHKEY });
  assert.is((await tcp.next()).event, "accepted");
  await connection.send(new PyTuple(["bytes", 300n]));
  const error = await rejection(connection.recvBytes(256), FrameTooLargeError);
  assert.is(error.limit, 256);
  const events = [(await tcp.next()).event];
  if (events[0] === "dropped") events.push((await tcp.next()).event);
  assert.is(events.at(-1), "closed");
});

test("a hostile pickle (os.system) is refused with a PickleError, nothing is called, and the connection goes on", async () => {
  await withConnection(async (connection) => {
    await connection.send(new PyTuple(["hostile"]));
    const error = await rejection(connection.recv(), UnpicklingError);
    assert.match(error.message, /system/);
    assert.is(await connection.recv(), "still here");
  });
});

test("typed: recv(UserCodec) builds a User from Python's myapp.models.User; send(UserCodec, user) arrives as one", async () => {
  await withConnection(async (connection) => {
    await connection.send(new PyTuple(["user", "Ada"]));
    const user = await connection.recv(UserCodec);
    assert.instance(user, User);
    assert.is(user.name, "Ada");
    assert.is(user.age, 41);
    assert.equal(user.hobbies, ["chess"]);
    assert.is(user.address?.zip, "12345");

    user.name = "Grace";
    await connection.send(new PyTuple(["describe"]));
    await connection.send(UserCodec, user);
    const [type, repr] = ((await connection.recv()) as PyTuple).items as [string, string];
    assert.is(type, "myapp.models.User");
    assert.match(repr, /name='Grace', age=41/);
    assert.match(repr, /Address\('1 Main St', '12345'\)/);
  });
});

test("typed: a frame that is not the codec's class is a PickleError, not a wrong value", async () => {
  await withConnection(async (connection) => {
    await connection.send(new PyTuple(["echo", "just a string"]));
    await rejection(connection.recv(UserCodec), PickleError);
  });
});

test("timeouts: poll and recv give up without consuming anything; the late answer is still read", async () => {
  await withConnection(async (connection) => {
    await connection.send(new PyTuple(["sleep", 0.3]));
    assert.is(await connection.poll(), false);
    await rejection(connection.recv({ timeoutMs: 20 }), ConnectionTimeoutError);
    assert.is(await connection.poll(10_000), true);
    assert.is(await connection.recv({ timeoutMs: 10_000 }), "awake");
  });
});

test("sendBytes with offset and size, recvBytesInto, BufferTooShort", async () => {
  await withConnection(async (connection) => {
    await connection.send(new PyTuple(["echo_bytes"]));
    await connection.sendBytes(new Uint8Array([9, 8, 7, 6, 5, 4]), 2, 3);
    const into = new Uint8Array(8);
    assert.is(await connection.recvBytesInto(into, 4), 3);
    assert.equal([...into], [0, 0, 0, 0, 7, 6, 5, 0]);

    await connection.send(new PyTuple(["bytes", 10n]));
    const error = await rejection(connection.recvBytesInto(new Uint8Array(4)), BufferTooShort);
    assert.is(error.frame.length, 10);
    await rejection(connection.sendBytes(new Uint8Array(4), 3, 2), ProcessError);
  });
});

test("a negative frame length other than -1 closes the connection with a ProcessError", async () => {
  await withConnection(async (connection) => {
    await connection.send(new PyTuple(["bad_header"]));
    const error = await rejection(connection.recvBytes(), ProcessError);
    assert.match(error.message, /negative frame length \(-5\)/);
    assert.ok(connection.closed);
  });
});

test("the peer closing: recv rejects with ConnectionClosedError", async () => {
  await withConnection(async (connection) => {
    await connection.send(new PyTuple(["quit"]));
    await rejection(connection.recv(), ConnectionClosedError);
    assert.is(await connection.poll(), true, "poll says a read would not wait (it would fail at once)");
  });
});

test.run();
