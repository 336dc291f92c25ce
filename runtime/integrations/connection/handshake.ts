// multiprocessing's mutual HMAC challenge, both forms, as CPython 3.12+ speaks it to old and new peers:
//
//   deliver: send b"#CHALLENGE#" + message; read the response (≤ 256 bytes); verify; send
//            b"#WELCOME#" or b"#FAILURE#".
//   answer:  read the challenge; send the response; expect b"#WELCOME#".
//
// 3.11 and older: message = 20 random bytes; response = bare HMAC-MD5(authkey, message) (16 bytes).
// 3.12+:          message = b"{sha256}" + 40 random bytes; response = b"{sha256}" + HMAC-SHA256(authkey,
//                 message) — the MAC covers the prefix too, so a response cannot downgrade it.
// Fallback by length: a challenge of 20 bytes or a response of 16 is the legacy form (bare MD5). A 3.11
// peer answers a prefixed challenge with bare MD5 over the whole message, which a deliverer accepts
// by that length; a 3.11 deliverer's 20-byte challenge is answered with bare MD5. So MD5 is produced
// only toward a peer that speaks the legacy form.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { AuthenticationError } from "./errors.ts";

const CHALLENGE = ascii("#CHALLENGE#");
const WELCOME = ascii("#WELCOME#");
const FAILURE = ascii("#FAILURE#");

/** Random bytes after the digest prefix in a 3.12+ challenge (Python's MESSAGE_LENGTH). */
const MESSAGE_BYTES = 40;
/** A 3.11 challenge's length, and the shortest challenge 3.12 answers. */
const LEGACY_CHALLENGE_BYTES = 20;
/** A bare HMAC-MD5 response's length. */
const LEGACY_RESPONSE_BYTES = 16;
/** Handshake messages longer than this are refused (Python reads them with recv_bytes(256)). */
export const HANDSHAKE_MAX_BYTES = 256;

/** The digests a `{name}` prefix may name (Python's _ALLOWED_DIGESTS), with node:crypto's names. */
const DIGESTS = new Map<string, string>([
  ["md5", "md5"],
  ["sha256", "sha256"],
  ["sha384", "sha384"],
  ["sha3_256", "sha3-256"],
  ["sha3_384", "sha3-384"],
]);
const LONGEST_DIGEST_NAME = Math.max(...[...DIGESTS.keys()].map((name) => name.length));

/** A digest a challenge may name: "sha256" (the default), "sha384", "sha3_256", "sha3_384" or "md5". */
export type ChallengeDigest = "md5" | "sha256" | "sha384" | "sha3_256" | "sha3_384";

/** The frame-level channel a handshake runs over (before anything is unpickled). */
export interface HandshakeChannel {
  sendBytes(data: Uint8Array): Promise<void>;
  recvBytes(maxLength: number): Promise<Uint8Array>;
}

export interface HandshakeOptions {
  /** The digest our challenges name (default "sha256"). A legacy peer answers any of them with MD5. */
  digest?: ChallengeDigest | undefined;
  /** Accept MD5 answers (the bare legacy form 3.11 peers send, or `{md5}`). Default true; false refuses 3.11 peers. */
  acceptMd5?: boolean | undefined;
}

/** A response's digest name and MAC: "md5" for the bare legacy form. Null if it is neither form. */
function splitDigest(message: Uint8Array): { digest: ChallengeDigest; payload: Uint8Array } | null {
  if (isLegacy(message)) return { digest: "md5", payload: message };
  if (message[0] !== 0x7b /* { */) return null;
  const close = message.subarray(1, LONGEST_DIGEST_NAME + 2).indexOf(0x7d /* } */);
  if (close < 0) return null;
  const name = latin1(message.subarray(1, 1 + close));
  if (!isDigest(name)) return null;
  return { digest: name, payload: message.subarray(close + 2) };
}

function isDigest(name: string): name is ChallengeDigest {
  return DIGESTS.has(name);
}

function isLegacy(message: Uint8Array): boolean {
  return message.length === LEGACY_CHALLENGE_BYTES || message.length === LEGACY_RESPONSE_BYTES;
}

function hmac(digest: string, authkey: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(DIGESTS.get(digest)!, authkey).update(message).digest());
}

/**
 * Sends a challenge, checks the peer's answer, and tells it the verdict; resolves to the digest the
 * peer answered with ("md5" from a 3.11 peer). Throws AuthenticationError on a wrong answer.
 */
export async function deliverChallenge(channel: HandshakeChannel, authkey: Uint8Array, options: HandshakeOptions = {}): Promise<ChallengeDigest> {
  const digest = options.digest ?? "sha256";
  if (!DIGESTS.has(digest)) throw new AuthenticationError(`unsupported challenge digest ${JSON.stringify(digest)}`);
  const message = concat(ascii(`{${digest}}`), new Uint8Array(randomBytes(MESSAGE_BYTES)));
  await channel.sendBytes(concat(CHALLENGE, message));
  const response = await channel.recvBytes(HANDSHAKE_MAX_BYTES);
  const verdict = verifyResponse(authkey, message, response, options.acceptMd5 ?? true);
  if (typeof verdict !== "object") {
    await channel.sendBytes(FAILURE);
    throw new AuthenticationError(`the peer's answer to our challenge was wrong (${verdict}): its authkey differs from ours, or it does not speak the handshake`);
  }
  await channel.sendBytes(WELCOME);
  return verdict.digest;
}

/** The digest of a response that proves the authkey, or why it does not. */
function verifyResponse(authkey: Uint8Array, message: Uint8Array, response: Uint8Array, acceptMd5: boolean): { digest: ChallengeDigest } | string {
  const split = splitDigest(response);
  if (!split) return "an unsupported response length, digest prefix or digest";
  if (split.digest === "md5" && !acceptMd5) return "an MD5 answer, refused by acceptMd5: false";
  const expected = hmac(split.digest, authkey, message);
  if (expected.length !== split.payload.length) return `expected a ${split.digest} digest of ${expected.length} bytes, got ${split.payload.length}`;
  return timingSafeEqual(expected, split.payload) ? { digest: split.digest } : "the digest does not match";
}

/**
 * Reads the peer's challenge, answers it and waits for the verdict; resolves to the digest we
 * answered with ("md5" toward a 3.11 peer). Throws AuthenticationError if refused.
 */
export async function answerChallenge(channel: HandshakeChannel, authkey: Uint8Array): Promise<ChallengeDigest> {
  const received = await channel.recvBytes(HANDSHAKE_MAX_BYTES);
  if (!startsWith(received, CHALLENGE)) {
    throw new AuthenticationError("expected the peer's #CHALLENGE#: it has no authkey, or is not a multiprocessing.connection peer");
  }
  const message = received.subarray(CHALLENGE.length);
  if (message.length < LEGACY_CHALLENGE_BYTES) throw new AuthenticationError(`the peer's challenge is too short (${message.length} bytes)`);
  const { digest, response } = responseTo(authkey, message);
  await channel.sendBytes(response);
  const verdict = await channel.recvBytes(HANDSHAKE_MAX_BYTES);
  if (!equalBytes(verdict, WELCOME)) throw new AuthenticationError("the peer rejected our answer to its challenge: its authkey differs from ours");
  return digest;
}

/** The answer to a challenge message: bare MD5 for the legacy form, `{digest}` + MAC for a prefixed one. */
function responseTo(authkey: Uint8Array, message: Uint8Array): { digest: ChallengeDigest; response: Uint8Array } {
  if (isLegacy(message)) return { digest: "md5", response: hmac("md5", authkey, message) };
  const split = splitDigest(message);
  if (!split) throw new AuthenticationError("the peer's challenge names no digest we support (expected {sha256} or another of Python's allowed digests)");
  return { digest: split.digest, response: concat(ascii(`{${split.digest}}`), hmac(split.digest, authkey, message)) };
}

/** Any failure during the handshake, as an AuthenticationError (the original, a timeout or a closed socket, is its cause). */
export function handshakeFailure(error: unknown): AuthenticationError {
  if (error instanceof AuthenticationError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new AuthenticationError(`the handshake did not complete (${reason}): the peer may have no authkey, or not speak multiprocessing.connection`, { cause: error });
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && equalBytes(bytes.subarray(0, prefix.length), prefix);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
