// multiprocessing.connection's framing at unit level, over a fake socket: the -1 + 8-byte long form
// (which only a > 2 GiB payload uses, too big to send in a test), the receive limit checked before
// anything is allocated, headers split across chunks, timeouts that consume nothing, backpressure.
import { Duplex } from "node:stream";
import type { Socket } from "node:net";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { Connection, ConnectionTimeoutError, FrameTooLargeError, ProcessError } from "../../runtime/integrations/connection/index.ts";
import { frameHeader, parseFrameHeader, SHORT_FRAME_MAX } from "../../runtime/integrations/connection/frames.ts";
import { fromHex, runPython, toHex } from "../support/python.ts";
import { rejection } from "./connection-peer.ts";

const test = suite("integrations/connection: frames");

/** A socket stand-in: `deliver` feeds the reading side; writes are kept, and held while `hold` is set. */
class FakeSocket extends Duplex {
  readonly written: Uint8Array[] = [];
  private held: (() => void)[] = [];
  hold = false;

  constructor(highWaterMark = 16) {
    super({ writableHighWaterMark: highWaterMark, read() {} });
  }

  deliver(bytes: Uint8Array): void {
    this.push(bytes);
  }

  release(): void {
    this.hold = false;
    for (const done of this.held.splice(0)) done();
  }

  override _write(chunk: Uint8Array, _encoding: string, done: (error?: Error | null) => void): void {
    this.written.push(new Uint8Array(chunk));
    if (this.hold) this.held.push(() => done());
    else done();
  }
}

const connectionOver = (socket: FakeSocket, maxFrameBytes?: number) => new Connection(socket as unknown as Socket, { maxFrameBytes });

const frame = (payload: Uint8Array) => {
  const header = frameHeader(payload.length);
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
};

test("headers are Python's struct.pack('!i', n), and '!i' -1 + '!Q' n above 0x7fffffff", () => {
  const lengths = [0, 1, 300, SHORT_FRAME_MAX, SHORT_FRAME_MAX + 1, 2 ** 32 + 5];
  const python = runPython([
    "-c",
    `import struct\nfor n in ${JSON.stringify(lengths)}:\n    print((struct.pack("!i", n) if n <= 0x7fffffff else struct.pack("!i", -1) + struct.pack("!Q", n)).hex())`,
  ])
    .trim()
    .split("\n");
  assert.equal(
    lengths.map((n) => toHex(frameHeader(n))),
    python,
  );
  for (const [i, n] of lengths.entries()) {
    const parsed = parseFrameHeader(fromHex(python[i]!));
    assert.equal(parsed, { headerBytes: n > SHORT_FRAME_MAX ? 12 : 4, payloadBytes: n });
  }
});

test("parseFrameHeader: incomplete, negative, and a length beyond 2^53", () => {
  assert.equal(parseFrameHeader(new Uint8Array(3)), { needBytes: 4 });
  assert.equal(parseFrameHeader(fromHex("ffffffff0000")), { needBytes: 12 });
  assert.equal(parseFrameHeader(fromHex("fffffffb")), { invalid: "a negative frame length (-5)" });
  assert.equal(parseFrameHeader(fromHex("ffffffffffffffffffffffff")), { headerBytes: 12, payloadBytes: Number.POSITIVE_INFINITY });
});

test("the long form is read (with a small payload too), its header split across chunks byte by byte", async () => {
  const socket = new FakeSocket();
  const connection = connectionOver(socket);
  const bytes = [...fromHex("ffffffff0000000000000005"), 1, 2, 3, 4, 5, ...frame(new Uint8Array([7]))];
  const received = connection.recvBytes();
  for (const byte of bytes) socket.deliver(new Uint8Array([byte]));
  assert.equal([...(await received)], [1, 2, 3, 4, 5]);
  assert.equal([...(await connection.recvBytes())], [7]);
});

test("a frame announcing 3 GiB (long form) is refused from its header alone: nothing else arrived or was allocated", async () => {
  const socket = new FakeSocket();
  const connection = connectionOver(socket);
  socket.deliver(fromHex("ffffffff00000000c0000000"));
  const error = await rejection(connection.recvBytes(), FrameTooLargeError);
  assert.is(error.announced, 3 * 2 ** 30);
  assert.is(error.limit, 64 * 1024 * 1024);
  assert.ok(connection.closed);
});

test("the limit is an option; a frame exactly at it is read", async () => {
  const socket = new FakeSocket();
  const connection = connectionOver(socket, 10);
  socket.deliver(frame(new Uint8Array(10)));
  assert.is((await connection.recvBytes()).length, 10);
  socket.deliver(frame(new Uint8Array(11)));
  await rejection(connection.recvBytes(), FrameTooLargeError);
});

test("an empty frame, and sendBytes writes one frame per call", async () => {
  const socket = new FakeSocket();
  const connection = connectionOver(socket);
  await connection.sendBytes(new Uint8Array(0));
  await connection.sendBytes(new Uint8Array([1, 2, 3]), 1);
  assert.equal(socket.written.map(toHex), ["00000000", "000000020203"]);
  socket.deliver(frame(new Uint8Array(0)));
  assert.is((await connection.recvBytes()).length, 0);
});

test("send pickles at protocol 4 by default (Python 3.11's ForkingPickler), another on request", async () => {
  const socket = new FakeSocket();
  await connectionOver(socket).send("x");
  await new Connection(socket as unknown as Socket, { write: { protocol: 2 } }).send("x");
  // Each frame: 4-byte length, then PROTO n.
  assert.equal(
    socket.written.map((w) => toHex(w.subarray(4, 6))),
    ["8004", "8002"],
  );
});

test("a timeout with half a frame buffered consumes nothing; the rest completes the same frame", async () => {
  const socket = new FakeSocket();
  const connection = connectionOver(socket);
  const whole = frame(new Uint8Array([10, 20, 30, 40]));
  socket.deliver(whole.subarray(0, 6));
  await rejection(connection.recvBytes(undefined, { timeoutMs: 5 }), ConnectionTimeoutError);
  socket.deliver(whole.subarray(6));
  assert.equal([...(await connection.recvBytes(undefined, { timeoutMs: 1000 }))], [10, 20, 30, 40]);
});

test("one receive at a time: a second concurrent recv is a ProcessError", async () => {
  const socket = new FakeSocket();
  const connection = connectionOver(socket);
  const first = connection.recvBytes();
  await rejection(connection.recvBytes(), ProcessError);
  socket.deliver(frame(new Uint8Array([1])));
  assert.equal([...(await first)], [1]);
});

test("receive backpressure: the socket is paused while unread bytes pile up, and resumed by a read", async () => {
  const socket = new FakeSocket();
  const connection = connectionOver(socket);
  const big = frame(new Uint8Array(3 * 1024 * 1024));
  for (let at = 0; at < big.length; at += 64 * 1024) socket.deliver(big.subarray(at, at + 64 * 1024));
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(socket.isPaused(), "paused with nobody reading");
  assert.is((await connection.recvBytes()).length, 3 * 1024 * 1024);
  assert.not.ok(socket.isPaused(), "resumed once read");
});

test("send backpressure: sendBytes resolves only when the socket drains", async () => {
  const socket = new FakeSocket(16);
  const connection = connectionOver(socket);
  socket.hold = true;
  let sent = false;
  const sending = connection.sendBytes(new Uint8Array(1000)).then(() => {
    sent = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.not.ok(sent, "waiting for drain");
  socket.release();
  await sending;
  assert.ok(sent);
});

test.run();
