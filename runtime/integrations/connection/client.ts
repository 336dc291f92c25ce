// Python's multiprocessing.connection.Client: connect, then (with an authkey) answer the server's
// challenge and deliver ours — the order Python's Client uses, the mirror of Listener.accept.
import { connect } from "node:net";
import { type Address, authkeyBytes, describeAddress, socketTarget } from "./address.ts";
import { Connection, type ConnectionOptions } from "./connection.ts";
import { ProcessError } from "./errors.ts";
import { type HandshakeOptions, answerChallenge, deliverChallenge, handshakeFailure } from "./handshake.ts";

/** How long connecting plus the handshake may take by default. */
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 30_000;

export interface AuthOptions extends HandshakeOptions {
  /** The shared secret (Python's `authkey`; a string is UTF-8). Without it there is no handshake, as in Python. */
  authkey?: Uint8Array | string | undefined;
  /** Connecting and the handshake must finish within this (default 30 s). */
  handshakeTimeoutMs?: number | undefined;
}

export interface ClientOptions extends ConnectionOptions, AuthOptions {}

/** Connects to a Python `Listener` (or ours) and authenticates both ways; resolves to the connection. */
export async function Client(address: Address, options: ClientOptions = {}): Promise<Connection> {
  const target = socketTarget(address);
  const deadline = Date.now() + (options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS);
  const socket = connect(target);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => {
        socket.destroy();
        reject(new ProcessError(`could not connect to ${describeAddress(address)} within ${options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS} ms`));
      },
      Math.max(0, deadline - Date.now()),
    );
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", failed);
      resolve();
    });
    const failed = (e: Error) => {
      clearTimeout(timer);
      reject(new ProcessError(`could not connect to ${describeAddress(address)}: ${e.message}`, { cause: e }));
    };
    socket.once("error", failed);
  });
  if ("port" in target) socket.setNoDelay(true);
  const connection = new Connection(socket, options);
  if (options.authkey !== undefined) {
    const key = authkeyBytes(options.authkey);
    const channel = connection.handshakeChannel(deadline);
    try {
      const ours = await answerChallenge(channel, key);
      const peer = await deliverChallenge(channel, key, options);
      connection.handshake = { peer, ours };
    } catch (e) {
      connection.destroy();
      throw handshakeFailure(e);
    }
  }
  return connection;
}
