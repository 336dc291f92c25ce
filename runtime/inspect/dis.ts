// A disassembly that prints exactly what `python3 -m pickletools FILE` prints: offsets, opcode
// names, arguments, MARK indentation, memo notes, and the closing protocol line. The same sanity
// checks run, with pickletools' messages, and stop the listing where pickletools stops.
import { PyBytearray } from "../model/containers.ts";
import { floatRepr } from "../format/float-repr.ts";
import { bytesRepr, strRepr } from "../format/str-repr.ts";
import type { ArgKind } from "../opcodes.ts";
import { type OpArg, genops, GenopsError } from "./genops.ts";

/** A listing that had to stop: `lines` is what was printed before the fault. */
export class DisError extends Error {
  constructor(
    message: string,
    readonly lines: string[],
    readonly pos: number,
  ) {
    super(message);
  }
}

/** Python's repr() of an argument as genops decodes it. */
export function argRepr(arg: OpArg, kind: ArgKind | null): string {
  switch (typeof arg) {
    case "boolean":
      return arg ? "True" : "False";
    case "bigint":
      return arg.toString();
    case "number":
      return kind === "float8" || kind === "floatnl" ? floatRepr(arg) : String(arg);
    case "string":
      return strRepr(arg);
  }
  if (arg instanceof PyBytearray) return `bytearray(${bytesRepr(arg)})`;
  if (arg instanceof Uint8Array) return bytesRepr(arg);
  return "None";
}

const MARK = Symbol("mark");
const ANY = Symbol("any");

export interface DisResult {
  lines: string[];
  /** Offset just after the STOP. */
  end: number;
}

/** Disassembles the pickle that starts at `start`. `indent` is pickletools' indentlevel (4). */
export function dis(data: Uint8Array, start = 0, indent = 4): DisResult {
  const lines: string[] = [];
  const stack: symbol[] = [];
  const memo = new Map<number, symbol>();
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
      let after: symbol[] = info.stackAfter.map((s) => (s === "mark" ? MARK : ANY));
      let numtopop = before.length;
      let markmsg: string | null = null;
      let errormsg: string | null = null;

      if (before.includes("mark") || (info.name === "POP" && stack.length > 0 && stack[stack.length - 1] === MARK)) {
        if (markstack.length > 0) {
          markmsg = `(MARK at ${markstack.pop()})`;
          while (stack[stack.length - 1] !== MARK) stack.pop();
          stack.pop();
          const i = before.indexOf("mark");
          numtopop = i >= 0 ? i : 0;
        } else {
          errormsg = markmsg = "no MARK exists on stack";
        }
      }

      if (info.name === "PUT" || info.name === "BINPUT" || info.name === "LONG_BINPUT" || info.name === "MEMOIZE") {
        let index: number;
        if (info.name === "MEMOIZE") {
          index = memo.size;
          markmsg = `(as ${index})`;
        } else {
          index = Number(op.arg);
        }
        if (memo.has(index)) errormsg = `memo key ${argRepr(op.arg, info.arg)} already defined`;
        else if (stack.length === 0) errormsg = "stack is empty -- can't store into memo";
        else if (stack[stack.length - 1] === MARK) errormsg = "can't store markobject in the memo";
        else memo.set(index, stack[stack.length - 1]!);
      } else if (info.name === "GET" || info.name === "BINGET" || info.name === "LONG_BINGET") {
        const index = Number(op.arg);
        if (memo.has(index)) after = [memo.get(index)!];
        else errormsg = `memo key ${argRepr(op.arg, info.arg)} has never been stored into`;
      }

      if (op.arg !== null || markmsg) {
        line += " ".repeat(Math.max(0, 10 - info.name.length));
        if (op.arg !== null) line += " " + argRepr(op.arg, info.arg);
        if (markmsg) line += " " + markmsg;
      }
      lines.push(line);
      if (errormsg) fail(errormsg, op.pos);

      if (stack.length < numtopop) fail(`tries to pop ${numtopop} items from stack with only ${stack.length} items`, op.pos);
      if (numtopop) stack.length -= numtopop;
      if (after.includes(MARK)) markstack.push(op.pos);
      stack.push(...after);
    }
  } catch (e) {
    if (e instanceof DisError) throw e;
    if (e instanceof GenopsError) {
      // pickletools prints the offset before reading an opcode's argument.
      throw new DisError(e.message, lines, e.pos);
    }
    throw e;
  }
  lines.push(`highest protocol among opcodes = ${maxproto}`);
  if (stack.length > 0) fail(`stack not empty after STOP: [${stack.map((s) => (s === MARK ? "markobject" : "any")).join(", ")}]`, end);
  return { lines, end };
}
