// The 3.12+ handshake ({sha256}-prefixed 40-byte challenges, digest-prefixed answers) against a peer
// that speaks it: python/mp_peer_312.py, written from the protocol's description (3.12 is not
// installed; the peer runs on 3.11 and does the handshake itself). Both directions, wrong keys both
// ways; with 3.11's own peers the same code falls back to MD5 (connection*.test.ts).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PyTuple } from "../../runtime/index.ts";
import { type Address, AuthenticationError, Client, Listener } from "../../runtime/integrations/connection/index.ts";
import { PythonPeer, rejection } from "./connection-peer.ts";

const test = suite("integrations/connection: the 3.12+ handshake");

const AUTHKEY = "s3cret";
let server: PythonPeer;
let serverAddress: Address;

test.before(async () => {
  server = PythonPeer.start("mp_peer_312.py", ["listen", "tcp", AUTHKEY]);
  serverAddress = (await server.address()) as Address;
});

test.after(() => server?.kill());

test("our Client with a 3.12 Listener: sha256 both ways (no MD5), and the link works", async () => {
  const connection = await Client(serverAddress, { authkey: AUTHKEY, acceptMd5: false });
  try {
    assert.equal(connection.handshake, { peer: "sha256", ours: "sha256" });
    const event = await server.next();
    assert.equal(event, { event: "accepted", peer_digest: "sha256", our_digest: "sha256" });
    await connection.send(new PyTuple(["echo", "modern"]));
    assert.is(await connection.recv(), "modern");
  } finally {
    await connection.close();
  }
  assert.is((await server.next()).event, "closed");
});

test("our Client with the wrong key: refused by the 3.12 Listener, AuthenticationError here", async () => {
  await rejection(Client(serverAddress, { authkey: "wrong" }), AuthenticationError);
  const event = await server.next();
  assert.is(event.event, "auth-failed");
  assert.match(event.message ?? "", /wrong sha256 digest/);
});

test("a 3.12 Client with our Listener: sha256 both ways; a digest we name (sha384) is the one it answers with", async () => {
  for (const digest of ["sha256", "sha384"] as const) {
    const listener = await Listener.open(["127.0.0.1", 0], { authkey: AUTHKEY, digest, acceptMd5: false });
    const client = PythonPeer.start("mp_peer_312.py", ["connect", JSON.stringify(listener.address), AUTHKEY]);
    try {
      const connection = await listener.accept();
      assert.equal(connection.handshake, { peer: digest, ours: "sha256" });
      assert.equal(await client.next(), { event: "connected", our_digest: digest, peer_digest: "sha256" });
      await connection.send(new PyTuple(["echo", digest]));
      assert.is(await connection.recv(), digest);
      await connection.close();
      await client.exit();
    } finally {
      client.kill();
      await listener.close();
    }
  }
});

test("a 3.12 Client with the wrong key: our accept rejects, and it is told so", async () => {
  const listener = await Listener.open(["127.0.0.1", 0], { authkey: AUTHKEY });
  const client = PythonPeer.start("mp_peer_312.py", ["connect", JSON.stringify(listener.address), "wrong"]);
  try {
    await rejection(listener.accept(), AuthenticationError);
    const event = await client.next();
    assert.is(event.event, "auth-failed");
    assert.match(event.message ?? "", /rejected/);
  } finally {
    client.kill();
    await listener.close();
  }
});

test.run();
