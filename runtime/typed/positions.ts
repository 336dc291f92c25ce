// Where the reader made each object of a pickle, for the messages of typed conversion errors. The
// general reader does not keep positions (it would cost every load); when a typed conversion fails,
// the pickle is read again by this recorder and the conversion re-run, so that the error can name
// the offset and opcode of the object it is about.
import type { PyValue } from "../model/value.ts";
import { opcodeName } from "../opcodes.ts";
import { type ReadOptions, Unpickler } from "../reader/unpickler.ts";
import { type Position, ROOT_VALUE } from "./codec.ts";

/** An Unpickler that notes the opcode that made each object it puts on the stack. */
class PositionRecorder extends Unpickler {
  readonly positions = new WeakMap<object, Position>();
  /** The last value put on the stack: the root, when the root is not an object (CPython's layout). */
  last: Position | undefined;

  protected override push(v: PyValue): void {
    const at = { offset: this.opStart, opcode: opcodeName(this.op) };
    this.last = at;
    // The first push of an object is where it was made; later ones are memo fetches and DUPs.
    if (typeof v === "object" && v !== null && !this.positions.has(v)) this.positions.set(v, at);
    super.push(v);
  }

  /** A list made again at its exact size was made where the empty one was. */
  protected override replaced(made: object, now: object): void {
    const at = this.positions.get(made);
    if (at !== undefined) this.positions.set(now, at);
  }
}

/** The first pickle in `data`, with where each of its objects was made. */
export function readWithPositions(data: Uint8Array, options: ReadOptions): { value: PyValue; positionOf: (subject: object) => Position | undefined } {
  const reader = new PositionRecorder(data, options);
  const value = reader.load();
  const positionOf = (subject: object) => (subject === ROOT_VALUE ? reader.last : reader.positions.get(subject));
  return { value, positionOf };
}
