// The handshake's rules at unit level, with a scripted channel: what a deliverer accepts (bare MD5 by
// its length, {digest}-prefixed answers, not a downgraded or malformed one) and how an answerer
// answers each challenge form. The live peers are in connection*.test.ts.
import { createHmac } from "node:crypto";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { AuthenticationError } from "../../runtime/integrations/connection/index.ts";
import { answerChallenge, deliverChallenge, type HandshakeChannel } from "../../runtime/integrations/connection/handshake.ts";
import { rejection } from "./connection-peer.ts";

const test = suite("integrations/connection: handshake rules");

const KEY = new TextEncoder().encode("key");
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");
const bytes = (latin1: string) => new Uint8Array(Buffer.from(latin1, "latin1"));
const mac = (digest: string, message: Uint8Array) => new Uint8Array(createHmac(digest, KEY).update(message).digest());
const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** A channel whose peer is `respond`: given what we sent, it returns what we receive next. */
function scripted(respond: (sent: Uint8Array[]) => Uint8Array): HandshakeChannel & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    sent,
    sendBytes: async (data) => {
      sent.push(data);
    },
    recvBytes: async () => respond(sent),
  };
}

/** The challenge message (after #CHALLENGE#) in what we sent first. */
const challengeOf = (sent: Uint8Array[]) => sent[0]!.subarray("#CHALLENGE#".length);

test("our challenge: #CHALLENGE# + {sha256} + 40 random bytes (another digest on request)", async () => {
  const channel = scripted((sent) => concat(bytes("{sha256}"), mac("sha256", challengeOf(sent))));
  assert.is(await deliverChallenge(channel, KEY), "sha256");
  assert.ok(text(channel.sent[0]!).startsWith("#CHALLENGE#{sha256}"));
  assert.is(challengeOf(channel.sent).length, "{sha256}".length + 40);
  assert.is(text(channel.sent[1]!), "#WELCOME#");

  const sha384 = scripted((sent) => concat(bytes("{sha384}"), mac("sha384", challengeOf(sent))));
  assert.is(await deliverChallenge(sha384, KEY, { digest: "sha384" }), "sha384");
  assert.ok(text(sha384.sent[0]!).startsWith("#CHALLENGE#{sha384}"));
});

test("a 3.11 answer (bare HMAC-MD5 of the whole message, prefix included) is accepted by its length", async () => {
  const channel = scripted((sent) => mac("md5", challengeOf(sent)));
  assert.is(await deliverChallenge(channel, KEY), "md5");
  assert.is(text(channel.sent[1]!), "#WELCOME#");
});

test("acceptMd5: false refuses MD5 answers, bare or prefixed", async () => {
  for (const answer of [(m: Uint8Array) => mac("md5", m), (m: Uint8Array) => concat(bytes("{md5}"), mac("md5", m))]) {
    const channel = scripted((sent) => answer(challengeOf(sent)));
    const error = await rejection(deliverChallenge(channel, KEY, { acceptMd5: false }), AuthenticationError);
    assert.match(error.message, /MD5/);
    assert.is(text(channel.sent[1]!), "#FAILURE#");
  }
});

test("refused answers get #FAILURE#: a MAC without the prefix covered, a wrong length, an unknown digest, no prefix", async () => {
  const wrongs: ((message: Uint8Array) => Uint8Array)[] = [
    (m) => concat(bytes("{sha256}"), mac("sha256", m.subarray("{sha256}".length))), // the prefix left out of the MAC
    (m) => concat(bytes("{sha256}"), mac("sha256", m).subarray(0, 31)),
    (m) => concat(bytes("{sha1}"), mac("sha1", m)),
    (m) => mac("sha256", m),
    () => new Uint8Array(20), // a 20-byte answer is taken as MD5, whose MAC is 16 bytes
  ];
  for (const wrong of wrongs) {
    const channel = scripted((sent) => wrong(challengeOf(sent)));
    await rejection(deliverChallenge(channel, KEY), AuthenticationError);
    assert.is(text(channel.sent[1]!), "#FAILURE#");
  }
});

test("answering: a 20-byte (3.11) challenge gets a bare HMAC-MD5; a {sha256} one a prefixed HMAC-SHA256 over prefix and payload", async () => {
  const legacy = bytes("0123456789abcdefghij");
  const old = scripted((sent) => (sent.length === 0 ? concat(bytes("#CHALLENGE#"), legacy) : bytes("#WELCOME#")));
  assert.is(await answerChallenge(old, KEY), "md5");
  assert.equal([...old.sent[0]!], [...mac("md5", legacy)]);

  const modern = concat(bytes("{sha256}"), new Uint8Array(40).fill(7));
  const current = scripted((sent) => (sent.length === 0 ? concat(bytes("#CHALLENGE#"), modern) : bytes("#WELCOME#")));
  assert.is(await answerChallenge(current, KEY), "sha256");
  assert.equal([...current.sent[0]!], [...concat(bytes("{sha256}"), mac("sha256", modern))]);
});

test("answering refuses: no #CHALLENGE#, a challenge under 20 bytes, an unknown digest, a #FAILURE# verdict", async () => {
  const cases: [Uint8Array, RegExp][] = [
    [bytes("hello"), /expected the peer's #CHALLENGE#/],
    [bytes("#CHALLENGE#short"), /too short/],
    [concat(bytes("#CHALLENGE#{sha1}"), new Uint8Array(40)), /names no digest we support/],
  ];
  for (const [challenge, message] of cases) {
    const channel = scripted(() => challenge);
    assert.match((await rejection(answerChallenge(channel, KEY), AuthenticationError)).message, message);
    assert.is(channel.sent.length, 0, "nothing answered");
  }
  const refused = scripted((sent) => (sent.length === 0 ? concat(bytes("#CHALLENGE#"), new Uint8Array(20)) : bytes("#FAILURE#")));
  assert.match((await rejection(answerChallenge(refused, KEY), AuthenticationError)).message, /rejected our answer/);
});

test.run();
