// One end of a multiprocessing.connection link over a socket: length-prefixed frames, pickles
// decoded with the strict allowlist or a typed codec (never by calling what the peer names).
import type { Socket } from "node:net";
import { PickleError } from "../../errors.ts";
import type { PyValue } from "../../model/value.ts";
import { type ReadOptions, loads } from "../../reader/unpickler.ts";
import type { Codec } from "../../typed/codec.ts";
import { type TypedLoadOptions, dumpsTyped, loadsTyped } from "../../typed/io.ts";
import { dumps } from "../../writer/dump.ts";
import type { WriteOptions } from "../../writer/write-options.ts";
import { BufferTooShort, ConnectionClosedError, ConnectionTimeoutError, FrameTooLargeError, ProcessError } from "./errors.ts";
import { frameHeader, parseFrameHeader } from "./frames.ts";
import type { ChallengeDigest, HandshakeChannel } from "./handshake.ts";
import { IncomingBytes } from "./incoming.ts";

/** The default receive limit: a frame announcing more is refused before anything is allocated. */
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Below this, header and payload go out in one write (as CPython does, against Nagle delays). */
const JOIN_BELOW_BYTES = 16384;

export interface ConnectionOptions {
  /** The largest frame `recv`/`recvBytes` accept (default 64 MiB). Larger ones close the connection with FrameTooLargeError. */
  maxFrameBytes?: number | undefined;
  /**
   * How `send` pickles: protocol (default 4, what Python 3.8–3.13's ForkingPickler writes) and the
   * writer's other options.
   */
  write?: WriteOptions | undefined;
  /** How `recv()` decodes: the allowlist (`globals`), limits, encoding… Always strict mode. */
  read?: Omit<ReadOptions, "mode"> | undefined;
  /** How `recv(codec)` decodes (limits, `strict` for unknown attributes). */
  typedRead?: TypedLoadOptions | undefined;
}

export interface ReceiveOptions {
  /** Give up after this many milliseconds (ConnectionTimeoutError; nothing is consumed, the connection stays usable). */
  timeoutMs?: number | undefined;
}

function isCodec(value: unknown): value is Codec<unknown> {
  return typeof value === "object" && value !== null && typeof (value as Codec<unknown>).fromPy === "function" && typeof (value as Codec<unknown>).toPy === "function";
}

export class Connection {
  private readonly incoming: IncomingBytes;
  private readonly maxFrameBytes: number;
  private receiving = false;
  private closing: Promise<void> | null = null;
  /**
   * The digests the handshake used, or null without an authkey: `peer` answered our challenge
   * with, `ours` answered the peer's with. "md5" means a 3.11-or-older peer (the legacy form).
   */
  handshake: { peer: ChallengeDigest; ours: ChallengeDigest } | null = null;

  /** Wraps a connected socket; use `Client` or `Listener.accept`, which also run the handshake. */
  constructor(
    private readonly socket: Socket,
    private readonly options: ConnectionOptions = {},
  ) {
    this.incoming = new IncomingBytes(socket);
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!(this.maxFrameBytes >= 0)) throw new ProcessError(`maxFrameBytes must be a non-negative number, got ${options.maxFrameBytes}`);
  }

  /** True once `close` was called or the socket closed. */
  get closed(): boolean {
    return this.closing !== null || this.socket.destroyed;
  }

  /** Sends `data[offset, offset + size)` as one frame; resolves when the socket takes more (backpressure). */
  async sendBytes(data: Uint8Array, offset = 0, size?: number): Promise<void> {
    if (!Number.isInteger(offset) || offset < 0 || offset > data.length) throw new ProcessError(`offset ${offset} is outside the buffer (${data.length} bytes)`);
    const length = size ?? data.length - offset;
    if (!Number.isInteger(length) || length < 0 || offset + length > data.length)
      throw new ProcessError(`size ${size} is outside the buffer (${data.length} bytes from offset ${offset})`);
    await this.writeFrame(data.subarray(offset, offset + length));
  }

  /** The next frame's bytes. A frame above `maxLength` (or the connection's limit) closes the connection with FrameTooLargeError. */
  async recvBytes(maxLength?: number, options: ReceiveOptions = {}): Promise<Uint8Array> {
    if (maxLength !== undefined && !(maxLength >= 0)) throw new ProcessError(`maxLength must be non-negative, got ${maxLength}`);
    return this.readFrame(maxLength === undefined ? this.maxFrameBytes : Math.min(maxLength, this.maxFrameBytes), options.timeoutMs);
  }

  /**
   * Reads the next frame into `buffer` at `offset`; resolves to its length. A frame that does not fit
   * is consumed and thrown as BufferTooShort carrying it (as Python's recv_bytes_into).
   */
  async recvBytesInto(buffer: Uint8Array, offset = 0, options: ReceiveOptions = {}): Promise<number> {
    if (!Number.isInteger(offset) || offset < 0 || offset > buffer.length) throw new ProcessError(`offset ${offset} is outside the buffer (${buffer.length} bytes)`);
    const frame = await this.readFrame(this.maxFrameBytes, options.timeoutMs);
    if (frame.length > buffer.length - offset) throw new BufferTooShort(frame);
    buffer.set(frame, offset);
    return frame.length;
  }

  /** Pickles `value` (protocol 4 by default) and sends it; `send(codec, value)` writes it with a generated codec. */
  send(value: PyValue): Promise<void>;
  send<T>(codec: Codec<T>, value: T): Promise<void>;
  async send(first: unknown, ...rest: unknown[]): Promise<void> {
    const write = this.options.write;
    if (rest.length > 0) {
      if (!isCodec(first)) throw new ProcessError("send(codec, value): the first argument is not a codec");
      await this.writeFrame(dumpsTyped(first, rest[0], write));
    } else {
      await this.writeFrame(dumps(first as PyValue, write));
    }
  }

  /**
   * The next pickle, decoded in strict mode (only the allowlist's globals; nothing the peer names is
   * called), or with `recv(codec)` as that type. A pickle that does not decode throws its
   * PickleError; the frame is consumed and the connection stays usable.
   */
  recv(options?: ReceiveOptions): Promise<PyValue>;
  recv<T>(codec: Codec<T>, options?: ReceiveOptions): Promise<T>;
  async recv(first?: unknown, second?: ReceiveOptions): Promise<unknown> {
    if (isCodec(first)) {
      const frame = await this.readFrame(this.maxFrameBytes, second?.timeoutMs);
      return loadsTyped(first, frame, this.options.typedRead);
    }
    const frame = await this.readFrame(this.maxFrameBytes, (first as ReceiveOptions | undefined)?.timeoutMs);
    return loads(frame, { ...this.options.read, mode: "strict" });
  }

  /** Whether a frame can be read without waiting (some of it has arrived, or the peer closed), waiting up to `timeoutMs` (default 0). */
  async poll(timeoutMs = 0): Promise<boolean> {
    if (this.incoming.buffered > 0 || this.incoming.ended) return true;
    if (this.receiving) throw new ProcessError("poll: a receive is already waiting on this connection");
    this.receiving = true;
    try {
      await this.incoming.waitFor(1, timeoutMs);
      return true;
    } catch (e) {
      if (e instanceof ConnectionTimeoutError) return false;
      if (e instanceof ConnectionClosedError) return true;
      throw e;
    } finally {
      this.receiving = false;
    }
  }

  /** Closes the connection (after flushing what was sent). Pending receives reject with ConnectionClosedError. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once("close", () => resolve());
      this.socket.end(() => this.socket.destroy());
    });
    return this.closing;
  }

  /** Frame-level sending and receiving for the handshake, with one deadline for all of it. */
  handshakeChannel(deadline: number): HandshakeChannel {
    return {
      sendBytes: (data) => this.writeFrame(data),
      recvBytes: (maxLength) => this.readFrame(maxLength, Math.max(0, deadline - Date.now())),
    };
  }

  /** Drops the socket at once (a failed handshake). */
  destroy(): void {
    this.closing ??= Promise.resolve();
    this.socket.destroy();
  }

  private async writeFrame(payload: Uint8Array): Promise<void> {
    if (this.closed || !this.socket.writable) throw new ConnectionClosedError("cannot send: the connection is closed");
    const header = frameHeader(payload.length);
    let flowing: boolean;
    if (payload.length < JOIN_BELOW_BYTES) {
      const joined = new Uint8Array(header.length + payload.length);
      joined.set(header);
      joined.set(payload, header.length);
      flowing = this.socket.write(joined);
    } else {
      this.socket.write(header);
      flowing = this.socket.write(payload);
    }
    if (!flowing) await this.drained();
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        this.socket.off("drain", done);
        this.socket.off("close", closed);
        resolve();
      };
      const closed = () => {
        this.socket.off("drain", done);
        reject(new ConnectionClosedError("the connection closed while sending"));
      };
      this.socket.once("drain", done);
      this.socket.once("close", closed);
    });
  }

  private async readFrame(limit: number, timeoutMs: number | undefined): Promise<Uint8Array> {
    if (this.receiving) throw new ProcessError("one receive at a time per connection: await the previous recv/recvBytes/poll");
    if (this.closing !== null) throw new ConnectionClosedError("cannot receive: the connection is closed");
    this.receiving = true;
    try {
      const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
      const left = () => (deadline === undefined ? undefined : Math.max(0, deadline - Date.now()));
      await this.incoming.waitFor(4, left());
      let header = parseFrameHeader(this.incoming.peek(Math.min(this.incoming.buffered, 12)));
      if ("needBytes" in header) {
        await this.incoming.waitFor(header.needBytes, left());
        header = parseFrameHeader(this.incoming.peek(header.needBytes));
      }
      if ("invalid" in header) {
        this.destroy();
        throw new ProcessError(`the peer sent ${header.invalid}; the connection is closed`);
      }
      if ("needBytes" in header) throw new ProcessError("internal: frame header still incomplete");
      if (header.payloadBytes > limit) {
        this.destroy();
        throw new FrameTooLargeError(header.payloadBytes, limit);
      }
      await this.incoming.waitFor(header.headerBytes + header.payloadBytes, left());
      this.incoming.skip(header.headerBytes);
      return this.incoming.take(header.payloadBytes);
    } catch (e) {
      if (e instanceof PickleError) throw e;
      throw new ProcessError(`receive failed: ${(e as Error).message}`, { cause: e });
    } finally {
      this.receiving = false;
    }
  }
}
