// multiprocessing.connection's framing: each message is a 4-byte signed big-endian length and the
// payload. A payload above 0x7fffffff bytes is announced by the length -1 followed by an 8-byte
// unsigned big-endian length (Python 3.8+). Pure functions, so the large form is testable without
// sending 2 GiB.

/** The largest length the short header can carry; Python uses the long form above it. */
export const SHORT_FRAME_MAX = 0x7fffffff;

/** The short header's length that announces the long form. */
const LONG_FORM_MARKER = -1;

/** The header for a payload of `length` bytes. */
export function frameHeader(length: number): Uint8Array {
  if (length <= SHORT_FRAME_MAX) {
    const header = new Uint8Array(4);
    new DataView(header.buffer).setInt32(0, length);
    return header;
  }
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  view.setInt32(0, LONG_FORM_MARKER);
  view.setBigUint64(4, BigInt(length));
  return header;
}

/** A parsed header: how many bytes it took and the payload length it announced. */
export interface FrameHeader {
  headerBytes: 4 | 12;
  /** As a number; a long-form length beyond 2^53 is reported as Infinity (it is above any limit anyway). */
  payloadBytes: number;
}

/** What `parseFrameHeader` says about bytes that may not hold a whole header yet. */
export type HeaderParse = FrameHeader | { needBytes: number } | { invalid: string };

/** Parses the header at the start of `bytes` (which may be incomplete). */
export function parseFrameHeader(bytes: Uint8Array): HeaderParse {
  if (bytes.length < 4) return { needBytes: 4 };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const short = view.getInt32(0);
  if (short >= 0) return { headerBytes: 4, payloadBytes: short };
  if (short !== LONG_FORM_MARKER) return { invalid: `a negative frame length (${short})` };
  if (bytes.length < 12) return { needBytes: 12 };
  const long = view.getBigUint64(4);
  return { headerBytes: 12, payloadBytes: long > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(long) };
}
