// The bytes a socket has delivered and nobody has taken yet. Readers wait for "at least n bytes
// buffered", look at them, and take them only once a whole frame is there: a timeout never leaves
// half a frame consumed. The socket is paused while enough is buffered and no reader wants more
// (receive-side backpressure), and resumed when a reader waits.
import type { Duplex } from "node:stream";
import { ConnectionClosedError, ConnectionTimeoutError } from "./errors.ts";

/** Paused above this many buffered bytes unless a reader is waiting for more. */
const HIGH_WATER_BYTES = 1 << 20;

interface Waiter {
  need: number;
  wake: () => void;
}

export class IncomingBytes {
  private chunks: Uint8Array[] = [];
  /** How much of chunks[0] was already taken. */
  private headOffset = 0;
  private bufferedBytes = 0;
  private endReason: Error | null = null;
  private waiter: Waiter | null = null;

  constructor(private readonly socket: Duplex) {
    socket.on("data", (chunk: Uint8Array) => {
      this.chunks.push(chunk);
      this.bufferedBytes += chunk.length;
      if (this.bufferedBytes >= HIGH_WATER_BYTES && (this.waiter === null || this.waiter.need <= this.bufferedBytes)) socket.pause();
      this.wakeIfReady();
    });
    socket.on("end", () => this.finish(new ConnectionClosedError("the peer closed the connection")));
    socket.on("close", () => this.finish(new ConnectionClosedError("the connection is closed")));
    socket.on("error", (e: Error) => this.finish(new ConnectionClosedError(`the connection failed: ${e.message}`, { cause: e })));
    if (socket.destroyed || socket.readableEnded) this.endReason = new ConnectionClosedError("the peer closed the connection");
  }

  get buffered(): number {
    return this.bufferedBytes;
  }

  /** Why no more bytes will come (null while the socket is open). */
  get ended(): Error | null {
    return this.endReason;
  }

  /** The first `n` buffered bytes (n ≤ buffered), without taking them. */
  peek(n: number): Uint8Array {
    return this.copyOut(n, false);
  }

  /** Takes the first `n` buffered bytes (n ≤ buffered). */
  take(n: number): Uint8Array {
    const out = this.copyOut(n, true);
    if (this.bufferedBytes < HIGH_WATER_BYTES && this.socket.isPaused()) this.socket.resume();
    return out;
  }

  /** Drops the first `n` buffered bytes. */
  skip(n: number): void {
    this.take(n);
  }

  /**
   * Resolves once `n` bytes are buffered. Rejects with ConnectionClosedError if the stream ends
   * first, or ConnectionTimeoutError after `timeoutMs` (undefined: wait for ever).
   */
  async waitFor(n: number, timeoutMs?: number): Promise<void> {
    if (this.bufferedBytes >= n) return;
    if (this.endReason) throw this.endReason;
    if (this.waiter) throw new Error("typed-pickle/connection: one receive at a time per connection (await the previous one)");
    await new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const wake = () => {
        if (this.bufferedBytes < n && !this.endReason) return;
        clearTimeout(timer);
        this.waiter = null;
        if (this.bufferedBytes >= n) resolve();
        else reject(this.endReason);
      };
      this.waiter = { need: n, wake };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.waiter = null;
          reject(new ConnectionTimeoutError(`nothing complete arrived within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      if (this.socket.isPaused()) this.socket.resume();
    });
  }

  private finish(reason: Error): void {
    this.endReason ??= reason;
    this.waiter?.wake();
  }

  private wakeIfReady(): void {
    if (this.waiter && this.bufferedBytes >= this.waiter.need) this.waiter.wake();
  }

  private copyOut(n: number, consume: boolean): Uint8Array {
    const first = this.chunks[0];
    // The common case: the bytes lie in one chunk; a view (take) or copy (peek is short) of it.
    if (first && first.length - this.headOffset >= n) {
      const view = first.subarray(this.headOffset, this.headOffset + n);
      if (consume) this.advance(n);
      // A plain Uint8Array over the socket's chunk (not a Buffer), so callers see one type.
      return consume ? new Uint8Array(view.buffer, view.byteOffset, view.length) : view.slice();
    }
    const out = new Uint8Array(n);
    let filled = 0;
    let index = 0;
    let offset = this.headOffset;
    while (filled < n) {
      const chunk = this.chunks[index]!;
      const part = Math.min(chunk.length - offset, n - filled);
      out.set(chunk.subarray(offset, offset + part), filled);
      filled += part;
      offset += part;
      if (offset === chunk.length) {
        index++;
        offset = 0;
      }
    }
    if (consume) this.advance(n);
    return out;
  }

  private advance(n: number): void {
    this.bufferedBytes -= n;
    let left = n;
    while (left > 0) {
      const chunk = this.chunks[0]!;
      const rest = chunk.length - this.headOffset;
      if (rest > left) {
        this.headOffset += left;
        return;
      }
      left -= rest;
      this.chunks.shift();
      this.headOffset = 0;
    }
  }
}
