// Our Listener against python3's own multiprocessing.connection.Client (3.11), over TCP and a Unix
// socket, and our Client against our Listener (the 3.12+ form: sha256 both ways). Each Python
// client is one short process that serves the commands we send (python/mp_peer.py).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UserCodec } from "../../generated/user.ts";
import { PyTuple } from "../../runtime/index.ts";
import { type Address, AuthenticationError, Client, ConnectionClosedError, Listener, type ListenerOptions } from "../../runtime/integrations/connection/index.ts";
import { PythonPeer, rejection } from "./connection-peer.ts";

const test = suite("integrations/connection: our Listener, Python's Client");

const AUTHKEY = "s3cret";
const directory = mkdtempSync(join(tmpdir(), "typed-pickle-connection-"));

test.after(() => rmSync(directory, { recursive: true, force: true }));

/** A Python client connecting to `address` with `authkey` ("-" for none). */
function pythonClient(address: Address, authkey: string): PythonPeer {
  return PythonPeer.start("mp_peer.py", ["connect", JSON.stringify(address), authkey]);
}

async function withListener(address: Address, options: ListenerOptions, body: (listener: Listener) => Promise<void>): Promise<void> {
  const listener = await Listener.open(address, options);
  try {
    await body(listener);
  } finally {
    await listener.close();
  }
}

test("TCP: Python's Client authenticates (MD5, its legacy form, both ways) and serves our commands", async () => {
  await withListener(["127.0.0.1", 0], { authkey: AUTHKEY }, async (listener) => {
    const [host, port] = listener.address as [string, number];
    assert.is(host, "127.0.0.1");
    assert.ok(port > 0, "the port the system picked");
    const peer = pythonClient(listener.address, AUTHKEY);
    try {
      const connection = await listener.accept();
      assert.equal(connection.handshake, { peer: "md5", ours: "md5" });
      assert.is((await peer.next()).event, "connected");
      await connection.send(new PyTuple(["echo", new Map([["from", "node"]])]));
      assert.equal(await connection.recv(), new Map([["from", "node"]]));
      await connection.send(new PyTuple(["user", "Lin"]));
      assert.is((await connection.recv(UserCodec)).name, "Lin");
      await connection.close();
      assert.is((await peer.next()).event, "closed");
      await peer.exit();
    } finally {
      peer.kill();
    }
  });
});

test("Unix socket: the same, and closing the listener removes its file", async () => {
  const path = join(directory, "listener.sock");
  await withListener(path, { authkey: AUTHKEY }, async (listener) => {
    assert.is(listener.address, path);
    const peer = pythonClient(path, AUTHKEY);
    try {
      const connection = await listener.accept();
      assert.is((await peer.next()).event, "connected");
      await connection.send(new PyTuple(["echo", [1n, 2n, 3n]]));
      assert.equal(await connection.recv(), [1n, 2n, 3n]);
      await connection.close();
      await peer.exit();
    } finally {
      peer.kill();
    }
  });
  assert.not.ok(existsSync(path));
});

test("a wrong authkey: accept rejects with AuthenticationError, Python's Client is told so, and the listener goes on", async () => {
  await withListener(["127.0.0.1", 0], { authkey: AUTHKEY }, async (listener) => {
    const intruder = pythonClient(listener.address, "not the key");
    try {
      const error = await rejection(listener.accept(), AuthenticationError);
      assert.match(error.message, /authkey differs/);
      const event = await intruder.next();
      assert.is(event.event, "auth-failed");
      assert.match(event.message ?? "", /digest sent was rejected/);
    } finally {
      intruder.kill();
    }
    const friend = pythonClient(listener.address, AUTHKEY);
    try {
      const connection = await listener.accept();
      assert.is((await friend.next()).event, "connected");
      await connection.close();
    } finally {
      friend.kill();
    }
  });
});

test("acceptMd5: false refuses a 3.11 client (it can only answer with MD5)", async () => {
  await withListener(["127.0.0.1", 0], { authkey: AUTHKEY, acceptMd5: false }, async (listener) => {
    const peer = pythonClient(listener.address, AUTHKEY);
    try {
      const error = await rejection(listener.accept(), AuthenticationError);
      assert.match(error.message, /MD5/);
      assert.is((await peer.next()).event, "auth-failed");
    } finally {
      peer.kill();
    }
  });
});

test("no authkey on either side: no handshake, as in Python", async () => {
  await withListener(["127.0.0.1", 0], {}, async (listener) => {
    const peer = pythonClient(listener.address, "-");
    try {
      const connection = await listener.accept();
      assert.is(connection.handshake, null);
      await connection.send(new PyTuple(["echo", "open"]));
      assert.is(await connection.recv(), "open");
      await connection.close();
    } finally {
      peer.kill();
    }
  });
});

test("a client without the authkey cannot get past the handshake: AuthenticationError, nothing unpickled", async () => {
  await withListener(["127.0.0.1", 0], { authkey: AUTHKEY, handshakeTimeoutMs: 5000 }, async (listener) => {
    const peer = pythonClient(listener.address, "-"); // takes our challenge for a pickle and fails
    try {
      const error = await rejection(listener.accept(), AuthenticationError);
      assert.match(error.message, /handshake did not complete/);
    } finally {
      peer.kill();
    }
  });
});

test("our Client with our Listener: the 3.12+ form, sha256 both ways; other digests on request; wrong keys both ways", async () => {
  await withListener(["127.0.0.1", 0], { authkey: AUTHKEY }, async (listener) => {
    const [client, server] = await Promise.all([Client(listener.address, { authkey: AUTHKEY }), listener.accept()]);
    assert.equal(client.handshake, { peer: "sha256", ours: "sha256" });
    assert.equal(server.handshake, { peer: "sha256", ours: "sha256" });
    await client.send(new PyTuple(["ping", 1n]));
    assert.equal(await server.recv(), new PyTuple(["ping", 1n]));
    await server.send("pong");
    assert.is(await client.recv(), "pong");
    await client.close();
    await rejection(server.recv(), ConnectionClosedError);
    await server.close();

    const [sha3, accepted] = await Promise.all([Client(listener.address, { authkey: AUTHKEY, digest: "sha3_384" }), listener.accept()]);
    assert.equal(sha3.handshake, { peer: "sha3_384", ours: "sha256" }, "our challenge named sha3_384, the listener's sha256");
    assert.equal(accepted.handshake, { peer: "sha256", ours: "sha3_384" });
    await Promise.all([sha3.close(), accepted.close()]);

    const [clientSide, serverSide] = await Promise.allSettled([Client(listener.address, { authkey: "other" }), listener.accept()]);
    assert.is(clientSide.status, "rejected");
    assert.is(serverSide.status, "rejected");
    assert.instance((clientSide as PromiseRejectedResult).reason, AuthenticationError);
    assert.instance((serverSide as PromiseRejectedResult).reason, AuthenticationError);
  });
});

test("close() rejects a waiting accept with ConnectionClosedError", async () => {
  const listener = await Listener.open(["127.0.0.1", 0], { backlog: 4 });
  const waiting = listener.accept();
  await listener.close();
  await rejection(waiting, ConnectionClosedError);
  await rejection(listener.accept(), ConnectionClosedError);
});

test.run();
