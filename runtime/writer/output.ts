// The pickler's output: one growable buffer, with protocol-4 framing done exactly as _pickle.c does
// it (_Pickler_Write, _Pickler_CommitFrame, _Pickler_OpcodeBoundary, _Pickler_write_bytes):
// - a write that finds no open frame reserves a 9-byte FRAME header;
// - at the start of each save, a frame of 64 KiB or more is committed (and, when writing to a
//   sink, handed over, so a dump never holds a second copy of its output);
// - a bytes/str payload of 64 KiB or more goes outside any frame;
// - a committed frame under 4 bytes loses its header.

import { allocUninitialized, concatBytes } from "../host-bytes.ts";
import { OP } from "../opcodes.ts";

const FRAME_HEADER_SIZE = 9;
const FRAME_SIZE_MIN = 4;
export const FRAME_SIZE_TARGET = 64 * 1024;

/** Receives the output chunk by chunk. Chunks are handed over, never reused. */
export type Sink = (chunk: Uint8Array) => void;

/**
 * One working buffer lent to the next output without a sink, and given back by result() after it
 * copied the output out: a new 1 KiB buffer per dumps() was half the cost of writing a small
 * pickle (Node allocates each ArrayBuffer outside the heap). A nested dumps finds it taken.
 */
let spare: Uint8Array | null = null;
let spareView: DataView | null = null;
const SPARE_SIZE = FRAME_SIZE_TARGET;

export class PickleOutput {
  /** From allocUninitialized (a Buffer under Node), so that writeUtf8 can encode strings straight into it. */
  buf: Uint8Array;
  view: DataView;
  /** Bytes written to `buf`. */
  pos = 0;
  framing = false;
  private frameStart = -1;
  /** Total bytes handed to the sink so far. */
  flushed = 0;

  /** True while `buf` is the spare: the output must be copied out of it, and it is given back. */
  private lent = false;

  constructor(
    private readonly sink: Sink | null = null,
    initialSize = 1024,
  ) {
    if (sink === null && spare !== null && initialSize <= SPARE_SIZE) {
      this.buf = spare;
      this.view = spareView!;
      spare = null;
      this.lent = true;
    } else {
      this.buf = allocUninitialized(sink === null ? Math.max(initialSize, SPARE_SIZE) : initialSize);
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
      this.lent = sink === null; // the first output without a sink brings the spare into being
    }
  }

  /** Gives the spare back once nothing of this output is left in it. */
  private giveBack(): void {
    if (this.lent) {
      spare = this.buf;
      spareView = this.view;
    }
    this.lent = false;
  }

  private grow(needed: number): void {
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = allocUninitialized(size);
    next.set(this.buf.subarray(0, this.pos));
    this.giveBack();
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /**
   * Makes room for `n` bytes and returns where to write them, opening a frame first if framing is
   * on and none is open (as every _Pickler_Write does).
   */
  reserve(n: number): number {
    let need = n;
    const opening = this.framing && this.frameStart === -1;
    if (opening) need += FRAME_HEADER_SIZE;
    if (this.pos + need > this.buf.length) this.grow(this.pos + need);
    if (opening) {
      this.frameStart = this.pos;
      this.pos += FRAME_HEADER_SIZE;
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  byte(b: number): void {
    const at = this.reserve(1);
    this.buf[at] = b;
  }

  bytes(data: Uint8Array): void {
    const at = this.reserve(data.length);
    this.buf.set(data, at);
  }

  /** ASCII text (protocol-0 lines). */
  ascii(text: string): void {
    const at = this.reserve(text.length);
    for (let i = 0; i < text.length; i++) this.buf[at + i] = text.charCodeAt(i);
  }

  commitFrame(): void {
    if (!this.framing || this.frameStart === -1) return;
    const frameLen = this.pos - this.frameStart - FRAME_HEADER_SIZE;
    if (frameLen >= FRAME_SIZE_MIN) {
      this.buf[this.frameStart] = OP.FRAME;
      this.view.setUint32(this.frameStart + 1, frameLen % 0x100000000, true);
      this.view.setUint32(this.frameStart + 5, Math.floor(frameLen / 0x100000000), true);
    } else {
      this.buf.copyWithin(this.frameStart, this.frameStart + FRAME_HEADER_SIZE, this.pos);
      this.pos -= FRAME_HEADER_SIZE;
    }
    this.frameStart = -1;
  }

  /** Called at the start of every save: a full frame is committed (and flushed to a sink). */
  opcodeBoundary(): void {
    if (!this.framing || this.frameStart === -1) return;
    if (this.pos - this.frameStart - FRAME_HEADER_SIZE >= FRAME_SIZE_TARGET) {
      this.commitFrame();
      if (this.sink) this.flush();
    }
  }

  /**
   * Right after opcodeBoundary(): how many bytes may still be written before a later boundary
   * would commit the frame (when not framing, any number).
   */
  frameRoom(): number {
    if (!this.framing) return Infinity;
    if (this.frameStart === -1) return FRAME_SIZE_TARGET;
    return FRAME_SIZE_TARGET - (this.pos - this.frameStart - FRAME_HEADER_SIZE);
  }

  /** Hands everything written so far to the sink and starts a fresh buffer. */
  flush(): void {
    if (!this.sink || this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.flushed += this.pos;
    this.buf = allocUninitialized(Math.max(1024, Math.min(this.buf.length, 2 * FRAME_SIZE_TARGET)));
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = 0;
    this.sink(chunk);
  }

  /**
   * An opcode header and a bytes/str payload. A payload of 64 KiB or more goes outside any frame
   * and, with a sink, straight to it without a copy.
   */
  headerAndPayload(header: Uint8Array, payload: Uint8Array): void {
    if (payload.length < FRAME_SIZE_TARGET) {
      this.bytes(header);
      this.bytes(payload);
      return;
    }
    this.commitFrame();
    const framing = this.framing;
    this.framing = false;
    this.bytes(header);
    if (this.sink) {
      this.flush();
      this.flushed += payload.length;
      this.sink(payload);
    } else {
      // Kept by reference until result() joins everything once: copying it into the growing buffer
      // would copy it again at every doubling.
      this.held.push(this.buf.subarray(0, this.pos), payload);
      this.lent = false; // held keeps a view of it: not given back
      this.buf = allocUninitialized(Math.max(1024, Math.min(this.buf.length, 2 * FRAME_SIZE_TARGET)));
      this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
      this.pos = 0;
    }
    this.framing = framing;
  }

  /** The copy result() made out of a lent buffer (the buffer itself may be writing another pickle). */
  private finished: Uint8Array | null = null;

  /** Output written before a large payload, and the payloads, when there is no sink. */
  private readonly held: Uint8Array[] = [];

  /**
   * The whole output (no sink): one copy joining the held parts; else the buffer itself when the
   * output fills most of it, or a copy of just the output when it would waste half or more (a view
   * would keep the whole buffer alive: 500,000 kept `dumps(null)` results held 1 KiB each, ~750 MB).
   */
  result(): Uint8Array {
    if (this.finished !== null) return this.finished;
    if (this.held.length === 0) {
      if (this.lent || this.pos * 2 <= this.buf.length) {
        // A plain view's slice: Buffer's own subarray/slice go through its species constructor.
        const copy = new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos).slice();
        this.giveBack();
        this.finished = copy;
        return copy;
      }
      return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
    }
    const all = concatBytes([...this.held, this.buf.subarray(0, this.pos)]);
    return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  }
}
