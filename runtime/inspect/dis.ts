// A disassembly that prints exactly what `python3 -m pickletools FILE` prints: offsets, opcode
// names, arguments, MARK indentation, memo notes, and the closing protocol line. The same sanity
// checks run, with pickletools' messages, and stop the listing where pickletools stops.
import { PyBytearray } from "../model/containers.ts";
import { floatRepr } from "../format/float-repr.ts";
import { bytesRepr, strRepr } from "../format/str-repr.ts";
import { type ArgKind, OPCODE_BY_CODE } from "../opcodes.ts";
import { MAX_INT_DIGITS, type OpArg, OpWalker, GenopsError } from "./genops.ts";

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
  const size = Math.ceil((magnitude.toString(16).length * 4) / 30);
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

/** What each opcode's line and stack effect need, worked out once per opcode rather than per line. */
interface OpcodeLayout {
  /** `code.padEnd(4) + " "`: the printable opcode byte and its column. */
  head: string;
  /** The name padded to the argument column, for lines that carry an argument or note. */
  paddedName: string;
  /** Index of "mark" in stackBefore, or -1. */
  markBefore: number;
  /** stackAfter holds a MARK. */
  pushesMark: boolean;
}

const LAYOUTS: (OpcodeLayout | undefined)[] = OPCODE_BY_CODE.map((info) => {
  if (!info) return undefined;
  const code = info.code >= 0x20 && info.code < 0x7f ? String.fromCharCode(info.code) : `\\x${info.code.toString(16).padStart(2, "0")}`;
  return {
    head: `${code.padEnd(4)} `,
    paddedName: info.name + " ".repeat(Math.max(0, 10 - info.name.length)),
    markBefore: info.stackBefore.indexOf(MARK),
    pushesMark: info.stackAfter.includes(MARK),
  };
});

/** Indentation strings for the usual MARK depths (deeper ones are made when needed). */
const INDENTS = new Map<number, string>();
function indentation(width: number): string {
  if (width > 256) return " ".repeat(width);
  let text = INDENTS.get(width);
  if (text === undefined) INDENTS.set(width, (text = " ".repeat(width)));
  return text;
}

/**
 * A listing may be at most this many characters per byte of input (+16 MiB): pickletools indents
 * every line by its MARK depth, so 100,000 open MARKs would print some 20 GB. Past it the listing
 * stops, with a hint to list without indentation.
 */
const OUTPUT_PER_INPUT_BYTE = 64;
const OUTPUT_SLACK = 16 << 20;

/** Kept lines up to this length are flattened. */
const FLATTEN_LIMIT = 200;

/** One disassembly's state: a class, so that disassembling many small pickles creates no closures. */
class Disassembler {
  readonly lines: string[] = [];
  private readonly stack: string[] = [];
  private memo: Map<number | string, string> | null = null;
  private readonly markstack: number[] = [];
  private maxproto = -1;
  /** Characters listed so far, against the output budget. */
  private listed = 0;
  private readonly maxListed: number;
  end: number;

  constructor(
    private readonly data: Uint8Array,
    private readonly start: number,
    private readonly indent: number,
    private readonly onLine: ((line: string) => void) | undefined,
  ) {
    this.end = start;
    this.maxListed = OUTPUT_PER_INPUT_BYTE * data.length + OUTPUT_SLACK;
  }

  private print(line: string): void {
    this.listed += line.length + 1;
    if (this.listed > this.maxListed) {
      this.fail(
        `the listing would exceed ${OUTPUT_PER_INPUT_BYTE} characters per byte of the pickle (+16 MiB): MARKs nested ${this.markstack.length} deep indent every line (-l 0 lists without indentation)`,
        this.end,
      );
    }
    if (this.onLine) return this.onLine(line);
    // A line built by concatenation is a tree of pieces; reading a character makes V8 flatten it
    // into one string, half the memory of a kept listing (1,000,000 lines: ~105 -> ~55 MiB). Only
    // short lines: a long one shares its pieces (deep MARK indentation, a big argument), and a copy
    // per line would be quadratic.
    if (line.length <= FLATTEN_LIMIT) line.charCodeAt(0);
    this.lines.push(line);
  }

  private fail(message: string, pos: number): never {
    throw new DisError(message, this.lines, pos);
  }

  run(): DisResult {
    try {
      this.walk();
    } catch (e) {
      if (e instanceof DisError) throw e;
      if (e instanceof GenopsError) {
        // pickletools prints the offset before reading an opcode's argument.
        throw new DisError(e.message, this.lines, e.pos);
      }
      throw e;
    }
    this.print(`highest protocol among opcodes = ${this.maxproto}`);
    if (this.stack.length > 0) this.fail(`stack not empty after STOP: [${this.stack.join(", ")}]`, this.end);
    return { lines: this.lines, end: this.end };
  }

  private walk(): void {
    const { stack, markstack } = this;
    const walker = new OpWalker(this.data, this.start);
    for (let op = walker.next(); op !== null; op = walker.next()) {
      const { info } = op;
      const layout = LAYOUTS[info.code]!;
      this.end = op.end;
      let line = `${String(op.pos).padStart(5)}: ${layout.head}${indentation(this.indent * markstack.length)}`;
      if (info.proto > this.maxproto) this.maxproto = info.proto;
      let after: readonly string[] = info.stackAfter;
      let numtopop = info.stackBefore.length;
      let markmsg: string | null = null;
      let errormsg: string | null = null;

      if (layout.markBefore >= 0 || (info.name === "POP" && stack.length > 0 && stack[stack.length - 1] === MARK)) {
        if (markstack.length > 0) {
          const markpos = markstack.pop()!;
          markmsg = `(MARK at ${markpos})`;
          // A MARK can be consumed as an ordinary item ("(NR": REDUCE takes it), so the stack may
          // hold no MARK although one was pushed. pickletools then fails (IndexError) before
          // printing this line; stop here too, instead of unwinding past the bottom.
          const at = stack.lastIndexOf(MARK);
          if (at < 0) this.fail(`no MARK exists on stack (the MARK at ${markpos} was taken as an item)`, op.pos);
          stack.length = at;
          numtopop = Math.max(layout.markBefore, 0);
        } else {
          errormsg = markmsg = "no MARK exists on stack";
        }
      }

      if (info.name === "PUT" || info.name === "BINPUT" || info.name === "LONG_BINPUT" || info.name === "MEMOIZE") {
        const memo = (this.memo ??= new Map());
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
        const stored = this.memo?.get(index);
        if (stored !== undefined) after = [stored];
        else errormsg = `memo key ${argRepr(op.arg, info.arg)} has never been stored into`;
      }

      if (op.arg !== null || markmsg) {
        line += layout.paddedName;
        if (op.arg !== null) {
          try {
            line += " " + argRepr(op.arg, info.arg);
          } catch (e) {
            if (e instanceof IntTooLongError) this.fail(e.message, op.pos); // pickletools' repr() raised: no line
            throw e;
          }
        }
        if (markmsg) line += " " + markmsg;
      } else {
        line += info.name;
      }
      this.print(line);
      if (errormsg) this.fail(errormsg, op.pos);

      if (stack.length < numtopop) this.fail(`tries to pop ${numtopop} items from stack with only ${stack.length} items`, op.pos);
      if (numtopop) stack.length -= numtopop;
      if (layout.pushesMark) markstack.push(op.pos);
      for (let i = 0; i < after.length; i++) stack.push(after[i]!);
    }
  }
}

/**
 * Disassembles the pickle that starts at `start`. `indent` is pickletools' indentlevel (4). With
 * `onLine`, each line is handed over as it is made and none is kept (a listing can be many times
 * the pickle's size).
 */
export function dis(data: Uint8Array, start = 0, indent = 4, onLine?: (line: string) => void): DisResult {
  return new Disassembler(data, start, indent, onLine).run();
}
