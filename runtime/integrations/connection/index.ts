// typed-pickle/connection: Python's multiprocessing.connection (Client, Listener, Connection) over TCP
// and Unix sockets, wire-compatible with CPython 3.8+ including both HMAC handshakes. What arrives is
// decoded with the strict allowlist or a typed codec: an authenticated peer still cannot make us call anything.
export type { Address } from "./address.ts";
export { Client, type AuthOptions, type ClientOptions, DEFAULT_HANDSHAKE_TIMEOUT_MS } from "./client.ts";
export { Connection, type ConnectionOptions, type ReceiveOptions, DEFAULT_MAX_FRAME_BYTES } from "./connection.ts";
export { AuthenticationError, BufferTooShort, ConnectionClosedError, ConnectionTimeoutError, FrameTooLargeError, ProcessError } from "./errors.ts";
export type { ChallengeDigest, HandshakeOptions } from "./handshake.ts";
export { Listener, type ListenerOptions } from "./listener.ts";
