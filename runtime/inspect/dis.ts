// A disassembly that prints exactly what `python3 -m pickletools FILE` prints: offsets, opcode
// names, arguments, MARK indentation, memo notes, and the closing protocol line. The same sanity
// checks run, with pickletools' messages, and stop the listing where pickletools stops.
import { PyBytearray } from "../model/containers.ts";
import { floatRepr } from "../format/float-repr.ts";
import { bytesRepr, strRepr } from "../format/str-repr.ts";
import type { ArgKind } from "../opcodes.ts";
import { MAX_INT_DIGITS, type OpArg, genops, GenopsError } from "./genops.ts";

/** A listing that had to stop: `lines` is what was printed before the fault (empty when they went to `onLine`). */
export class DisError extends Error {
  constructor(
    message: string,
    readonly lines: string[],
    readonly pos: number,
  ) {
    super(message);
  }
}

/** repr() of an int refused, as CPython refuses to print one of more than MAX_INT_DIGITS digits. */
class IntTooLongError extends Error {}

/** Python's repr() of an int, refused past MAX_INT_DIGITS digits as CPython 3.11 refuses it. */
function intRepr(value: bigint): string {
  const magnitude = value < 0n ? -value : value;
  // CPython refuses by size before converting (a cheap check on its 30-bit digits), then by length.
  const refusal = `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit`;
  const size = Math.ceil(magnitude.toString(16).length * 4 / 30);
  if (size >= Math.floor((10 * MAX_INT_DIGITS) / (3 * 30)) + 2) throw new IntTooLongError(refusal);
  const text = magnitude.toString();
  if (text.length > MAX_INT_DIGITS) throw new IntTooLongError(refusal);
  return value < 0n ? "-" + text : text;
}

/** Python's repr() of an argument as genops decodes it. Throws IntTooLongError for an int too long to print. */
export function argRepr(arg: OpArg, kind: ArgKind | null): string {
  switch (typeof arg) {
    case "boolean":
      return arg ? "True" : "False";
    case "bigint":
      return intRepr(arg);
    case "number":
      return kind === "float8" || kind === "floatnl" ? floatRepr(arg) : String(arg);
    case "string":
      return strRepr(arg);
  }
  if (arg instanceof PyBytearray) return `bytearray(${bytesRepr(arg)})`;
  if (arg instanceof Uint8Array) return bytesRepr(arg);
  return "None";
}

/** The stack holds pickletools' stack-object names ("any", "int", "list", …); "mark" is the markobject. */
const MARK = "mark";

/** A memo index as a Map key: Python's dict makes True == 1, and big ints stay exact. */
function memoKey(arg: OpArg): number | string {
  if (typeof arg === "bigint") return arg >= BigInt(Number.MIN_SAFE_INTEGER) && arg <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(arg) : arg.toString();
  return Number(arg);
}

export interface DisResult {
  /** The listing; empty when each line went to `onLine` instead. */
  lines: string[];
  /** Offset just after the STOP. */
  end: number;
}

/**
 * Disassembles the pickle that starts at `start`. `indent` is pickletools' indentlevel (4). With
 * `onLine`, each line is handed over as it is made and none is kept (a listing can be many times
 * the pickle's size).
 */
export function dis(data: Uint8Array, start = 0, indent = 4, onLine?: (line: string) => void): DisResult {
  const lines: string[] = [];
  const print = onLine ?? ((line: string) => void lines.push(line));
  const stack: string[] = [];
  const memo = new Map<number | string, string>();
  const markstack: number[] = [];
  let maxproto = -1;
  let end = start;
  const fail = (message: string, pos: number): never => {
    throw new DisError(message, lines, pos);
  };
  try {
    for (const op of genops(data, start)) {
      const { info } = op;
      end = op.end;
      const code = info.code >= 0x20 && info.code < 0x7f ? String.fromCharCode(info.code) : `\\x${info.code.toString(16).padStart(2, "0")}`;
      let line = `${String(op.pos).padStart(5)}: ${code.padEnd(4)} ${" ".repeat(indent * markstack.length)}${info.name}`;
      maxproto = Math.max(maxproto, info.proto);
      const before = info.stackBefore;
      let after: readonly string[] = info.stackAfter;
      let numtopop = before.length;
      let markmsg: string | null = null;
      let errormsg: string | null = null;

      if (before.includes("mark") || (info.name === "POP" && stack.length > 0 && stack[stack.length - 1] === MARK)) {
        if (markstack.length > 0) {
          const markpos = markstack.pop()!;
          markmsg = `(MARK at ${markpos})`;
          // A MARK can be consumed as an ordinary item ("(NR": REDUCE takes it), so the stack may
          // hold no MARK although one was pushed. pickletools then fails (IndexError) before
          // printing this line; stop here too, instead of unwinding past the bottom.
          const at = stack.lastIndexOf(MARK);
          if (at < 0) fail(`no MARK exists on stack (the MARK at ${markpos} was taken as an item)`, op.pos);
          stack.length = at;
          const i = before.indexOf("mark");
          numtopop = i >= 0 ? i : 0;
        } else {
          errormsg = markmsg = "no MARK exists on stack";
        }
      }

      if (info.name === "PUT" || info.name === "BINPUT" || info.name === "LONG_BINPUT" || info.name === "MEMOIZE") {
        let index: number | string;
        if (info.name === "MEMOIZE") {
          index = memo.size;
          markmsg = `(as ${index})`;
        } else {
          index = memoKey(op.arg);
        }
        if (memo.has(index)) errormsg = `memo key ${argRepr(op.arg, info.arg)} already defined`;
        else if (stack.length === 0) errormsg = "stack is empty -- can't store into memo";
        else if (stack[stack.length - 1] === MARK) errormsg = "can't store markobject in the memo";
        else memo.set(index, stack[stack.length - 1]!);
      } else if (info.name === "GET" || info.name === "BINGET" || info.name === "LONG_BINGET") {
        const index = memoKey(op.arg);
        if (memo.has(index)) after = [memo.get(index)!];
        else errormsg = `memo key ${argRepr(op.arg, info.arg)} has never been stored into`;
      }

      if (op.arg !== null || markmsg) {
        line += " ".repeat(Math.max(0, 10 - info.name.length));
        if (op.arg !== null) {
          try {
            line += " " + argRepr(op.arg, info.arg);
          } catch (e) {
            if (e instanceof IntTooLongError) fail(e.message, op.pos); // pickletools' repr() raised: no line
            throw e;
          }
        }
        if (markmsg) line += " " + markmsg;
      }
      print(line);
      if (errormsg) fail(errormsg, op.pos);

      if (stack.length < numtopop) fail(`tries to pop ${numtopop} items from stack with only ${stack.length} items`, op.pos);
      if (numtopop) stack.length -= numtopop;
      if (after.includes(MARK)) markstack.push(op.pos);
      for (const s of after) stack.push(s);
    }
  } catch (e) {
    if (e instanceof DisError) throw e;
    if (e instanceof GenopsError) {
      // pickletools prints the offset before reading an opcode's argument.
      throw new DisError(e.message, lines, e.pos);
    }
    throw e;
  }
  print(`highest protocol among opcodes = ${maxproto}`);
  if (stack.length > 0) fail(`stack not empty after STOP: [${stack.join(", ")}]`, end);
  return { lines, end };
}
