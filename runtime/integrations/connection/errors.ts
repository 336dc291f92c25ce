// The errors of typed-pickle/connection, named after multiprocessing's where Python has one. All are
// PickleError subclasses, so one `catch (e instanceof PickleError)` covers a bad peer of any kind.
import { PickleError } from "../../errors.ts";

/** Base of this integration's errors (Python's `multiprocessing.ProcessError`). */
export class ProcessError extends PickleError {
  override name = "ProcessError";
}

/** The HMAC handshake failed: a wrong authkey on either side, or a peer that does not speak it. */
export class AuthenticationError extends ProcessError {
  override name = "AuthenticationError";
}

/** The peer closed the connection, or it was closed here (Python raises EOFError / OSError). */
export class ConnectionClosedError extends ProcessError {
  override name = "ConnectionClosedError";
}

/**
 * A frame announced more bytes than the receive limit (Python's "bad message length"). Refused before
 * anything is allocated; the connection is closed, since the stream can no longer be followed.
 */
export class FrameTooLargeError extends ProcessError {
  override name = "FrameTooLargeError";
  constructor(
    readonly announced: number,
    readonly limit: number,
  ) {
    super(`the peer announced a frame of ${announced} bytes, above the limit of ${limit} bytes (option maxFrameBytes)`);
  }
}

/** A frame did not fit the buffer given to `recvBytesInto` (Python's `BufferTooShort`); it is still consumed. */
export class BufferTooShort extends ProcessError {
  override name = "BufferTooShort";
  constructor(readonly frame: Uint8Array) {
    super(`the received frame (${frame.length} bytes) does not fit the buffer; it is in error.frame`);
  }
}

/** Nothing (or not a whole frame) arrived within the timeout. The connection stays usable: nothing was consumed. */
export class ConnectionTimeoutError extends ProcessError {
  override name = "ConnectionTimeoutError";
}
