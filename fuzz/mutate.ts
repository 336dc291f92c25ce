// Structure-aware mutation of pickles: each mutator works on opcode chunks (fuzz/ops.ts), so it can
// lie about one length, play with the memo, move a MARK or a STOP, splice opcodes from another seed
// or write a text opcode with odd content, and still leave the rest of the pickle well formed.
// Everything is drawn from one Rng: the same seed gives the same inputs.
import { type Chunk, OP, argKindOf, fieldWidth, joinChunks, le, op, readLe, splitOps } from "./ops.ts";
import type { Rng } from "./prng.ts";

/** Inputs are kept under this size so that every one is held to the same budget (inputs < 1 MB). */
export const MAX_INPUT = 256 * 1024;

type Mutator = (rng: Rng, chunks: Chunk[], other: () => Chunk[]) => Chunk[];

const at = (rng: Rng, chunks: Chunk[]) => rng.below(chunks.length + 1);
const insert = (chunks: Chunk[], i: number, ...add: Chunk[]) => [...chunks.slice(0, i), ...add, ...chunks.slice(i)];

/** Values a length or index field is set to: the edges, off-by-ones, and sizes that once hurt. */
function interestingNumber(rng: Rng, width: number, current: bigint): bigint {
  const max = (1n << BigInt(8 * width)) - 1n;
  const choices = [
    0n,
    1n,
    max,
    max - 1n,
    current + 1n,
    current - 1n,
    current * 2n,
    current + 256n,
    0x7fn,
    0x80n,
    0xffn,
    0x100n,
    0x7fffn,
    0xffffn,
    0x7fffffffn,
    0x80000000n,
    0xffffffffn,
    0x100000000n,
    1n << 24n,
    (1n << 24n) + 1n,
    1n << 26n,
    (1n << 26n) + 1n,
    1n << 53n,
    1n << 63n,
    BigInt(rng.next()),
  ];
  return rng.pick(choices) & max;
}

/** A length or argument field set to 0, max, off by one, huge. */
const lengthLie: Mutator = (rng, chunks) => {
  const candidates = chunks.map((c, i) => [c, i] as const).filter(([c]) => c.code >= 0 && fieldWidth(argKindOf(c.code)) > 0);
  if (candidates.length === 0) return byteFlip(rng, chunks, () => []);
  const [chunk, i] = rng.pick(candidates);
  const width = fieldWidth(argKindOf(chunk.code));
  if (chunk.bytes.length < 1 + width) return chunks;
  const bytes = chunk.bytes.slice();
  bytes.set(le(interestingNumber(rng, width, readLe(bytes, 1, width)), width), 1);
  const out = chunks.slice();
  out[i] = { code: chunk.code, bytes };
  return out;
};

const MEMO_INDICES = [0n, 1n, 2n, 255n, 256n, 1000n, 65535n, (1n << 24n) - 1n, 1n << 24n, (1n << 24n) + 1n, 1n << 26n, (1n << 26n) + 1n, 0x7fffffffn, 0xffffffffn];

function memoOp(rng: Rng, index: bigint): Chunk {
  switch (rng.below(5)) {
    case 0:
      return op(OP.BINPUT, [Number(index & 0xffn)]);
    case 1:
      return op(OP.LONG_BINPUT, le(index, 4));
    case 2:
      return op(OP.BINGET, [Number(index & 0xffn)]);
    case 3:
      return op(OP.LONG_BINGET, le(index, 4));
    default:
      return op(rng.chance(0.5) ? OP.PUT : OP.GET, `${rng.chance(0.1) ? "-" : ""}${index}\n`);
  }
}

/** Far PUT indices, GET of missing or other entries, MEMOIZE floods, indices of existing memo ops changed. */
const memoGames: Mutator = (rng, chunks) => {
  const memoCodes = new Set<number>([OP.BINPUT, OP.LONG_BINPUT, OP.BINGET, OP.LONG_BINGET]);
  const existing = chunks.map((c, i) => [c, i] as const).filter(([c]) => memoCodes.has(c.code));
  switch (rng.below(5)) {
    case 0: {
      // a far PUT then a PUT next to it (the sparse-then-dense memo)
      const i = at(rng, chunks);
      const far = rng.pick(MEMO_INDICES);
      return insert(chunks, i, op(OP.NONE), op(OP.LONG_BINPUT, le(far, 4)), op(OP.LONG_BINPUT, le(far + 1n, 4)), op(OP.POP));
    }
    case 1:
      return insert(chunks, at(rng, chunks), memoOp(rng, rng.chance(0.5) ? BigInt(rng.below(8)) : rng.pick(MEMO_INDICES)));
    case 2: {
      const n = rng.pick([2, 10, 1000, 20000]);
      const i = at(rng, chunks);
      return insert(chunks, i, ...Array.from({ length: n }, () => op(OP.MEMOIZE)));
    }
    default: {
      if (existing.length === 0) return insert(chunks, at(rng, chunks), memoOp(rng, rng.pick(MEMO_INDICES)));
      const [chunk, i] = rng.pick(existing);
      const width = fieldWidth(argKindOf(chunk.code));
      const bytes = chunk.bytes.slice();
      const target = rng.chance(0.5) ? BigInt(rng.below(Math.max(1, existing.length))) : rng.pick(MEMO_INDICES);
      bytes.set(le(target, width), 1);
      const out = chunks.slice();
      out[i] = { code: chunk.code, bytes };
      return out;
    }
  }
};

const FRAME_LIKE = [OP.MARK, OP.FRAME, OP.STOP, OP.POP, OP.POP_MARK, OP.DUP];

/** MARK / FRAME / STOP (and POP, POP_MARK, DUP) inserted, deleted or moved. */
const markFrameStop: Mutator = (rng, chunks) => {
  const kind = rng.pick(FRAME_LIKE);
  const present = chunks.map((c, i) => [c, i] as const).filter(([c]) => c.code === kind);
  const action = rng.below(3);
  if (action === 0 || present.length === 0) {
    const chunk = op(kind);
    if (kind === OP.FRAME) {
      // a frame that claims the rest of the pickle, a little more, or a lie
      const i = at(rng, chunks);
      const rest = BigInt(joinChunks(chunks.slice(i)).length);
      const length = rng.pick([rest, rest - 1n, rest + 1n, 0n, 3n, 1n << 52n, BigInt(rng.below(64))]);
      return insert(chunks, i, op(OP.FRAME, le(length, 8)));
    }
    return insert(chunks, at(rng, chunks), chunk);
  }
  const [chunk, i] = rng.pick(present);
  const without = [...chunks.slice(0, i), ...chunks.slice(i + 1)];
  return action === 1 ? without : insert(without, at(rng, without), chunk);
};

/** A run of opcodes from another seed, inserted or put in place of a run of ours. */
const splice: Mutator = (rng, chunks, other) => {
  const donor = other();
  if (donor.length === 0) return chunks;
  const from = rng.below(donor.length);
  const piece = donor.slice(from, from + 1 + rng.below(Math.min(16, donor.length - from)));
  const i = at(rng, chunks);
  const drop = rng.chance(0.5) ? rng.below(Math.min(8, chunks.length - i) + 1) : 0;
  return [...chunks.slice(0, i), ...piece, ...chunks.slice(i + drop)];
};

const ODD_INTS = [
  "1_0",
  " 1",
  "1 ",
  "+1",
  "-0",
  "0x10",
  "01",
  "00",
  "02",
  "",
  "-",
  "1__0",
  "_1",
  "١",
  "9".repeat(4301),
  "9".repeat(5000),
  "1e3",
  "nan",
  "2147483648",
  "-9223372036854775809",
];
const ODD_FLOATS = ["nan", "-nan", "inf", "-inf", "1e999", "-0.0", "1_0.5", "0x1p3", "1e-400", ".", "1.", ".5", "1e", "infinity", "4.9e-324", "", " 1.5 "];
const ODD_STRINGS = ["'abc'", '"abc"', "'a", "a'", "''", "'", "'\\x'", "'\\x4'", "'\\u00e9'", "'\\777'", "'\\'", "'a\\nb'", "'\\xff'", "'\"", "'é'"];
const ODD_UNICODE = ["abc", "\\u12", "\\ud800", "\\ud83d\\ude00", "\\U0010ffff", "\\U00110000", "\\x41", "\\", "é", "\\u005c", "\\N{DIGIT ONE}"];
const ODD_GLOBALS = [
  "os\nsystem",
  "__builtin__\neval",
  "builtins\ngetattr",
  "builtins\nset",
  "__builtin__\nset",
  "copy_reg\n_reconstructor",
  "datetime\ndatetime",
  "decimal\nDecimal",
  "collections\nOrderedDict",
  "zoneinfo\nZoneInfo",
  "_codecs\nencode",
  "myapp.models\nUser",
  "myapp.models\nAddress",
  "myapp.catalog\nColor",
  "a b\nc",
  "\nx",
  "x\n",
  "mod\nA.B.C",
  "builtins\nobject",
  "__builtin__\nbytes",
  "uuid\nUUID",
  "builtins\ncomplex",
  "builtins\nfrozenset",
  "copyreg\n__newobj__",
];

/** A text opcode (INT, LONG, FLOAT, STRING, UNICODE, GLOBAL, INST, PUT, GET) with odd content. */
const textOpcode: Mutator = (rng, chunks) => {
  let chunk: Chunk;
  switch (rng.below(9)) {
    case 0:
      chunk = op(OP.INT, rng.pick(ODD_INTS) + "\n");
      break;
    case 1:
      chunk = op(OP.LONG, rng.pick(ODD_INTS) + rng.pick(["L", "", "LL", "l"]) + "\n");
      break;
    case 2:
      chunk = op(OP.FLOAT, rng.pick(ODD_FLOATS) + "\n");
      break;
    case 3:
      chunk = op(OP.STRING, rng.pick(ODD_STRINGS) + "\n");
      break;
    case 4:
      chunk = op(OP.UNICODE, Buffer.from(rng.pick(ODD_UNICODE) + "\n", rng.chance(0.5) ? "latin1" : "utf8"));
      break;
    case 5:
      chunk = op(OP.GLOBAL, rng.pick(ODD_GLOBALS) + "\n");
      break;
    case 6:
      chunk = op(OP.INST, rng.pick(ODD_GLOBALS) + "\n");
      return insert(chunks, at(rng, chunks), op(OP.MARK), chunk);
    case 7:
      chunk = op(rng.chance(0.5) ? OP.PUT : OP.GET, rng.pick(ODD_INTS) + "\n");
      break;
    default: {
      // a STACK_GLOBAL built from strings pushed just before it
      const [module, name] = rng.pick(ODD_GLOBALS).split("\n") as [string, string];
      const str = (s: string) => op(OP.SHORT_BINUNICODE, [Buffer.byteLength(s)], Buffer.from(s));
      return insert(chunks, at(rng, chunks), str(module), str(name), op(OP.STACK_GLOBAL));
    }
  }
  return insert(chunks, at(rng, chunks), chunk);
};

/** One opcode, or a run of them, repeated N times in place. */
const repeat: Mutator = (rng, chunks) => {
  if (chunks.length === 0) return chunks;
  const i = rng.below(chunks.length);
  const run = chunks.slice(i, i + 1 + rng.below(Math.min(4, chunks.length - i)));
  const runBytes = run.reduce((n, c) => n + c.bytes.length, 0);
  const n = Math.min(rng.chance(0.15) ? rng.pick([1000, 10000, 100000]) : rng.pick([2, 3, 10, 100]), Math.floor(MAX_INPUT / 2 / Math.max(1, runBytes)));
  const copies: Chunk[] = [];
  for (let k = 0; k < n; k++) copies.push(...run);
  return [...chunks.slice(0, i), ...copies, ...chunks.slice(i)];
};

/** Opcodes deleted or swapped, or the pickle cut short. */
const dropSwapCut: Mutator = (rng, chunks) => {
  if (chunks.length < 2) return chunks;
  const i = rng.below(chunks.length);
  const j = rng.below(chunks.length);
  switch (rng.below(3)) {
    case 0:
      return [...chunks.slice(0, i), ...chunks.slice(i + 1 + rng.below(3))];
    case 1: {
      const out = chunks.slice();
      [out[i], out[j]] = [out[j]!, out[i]!];
      return out;
    }
    default: {
      const bytes = joinChunks(chunks);
      return [{ code: -1, bytes: bytes.subarray(0, rng.below(bytes.length)) }];
    }
  }
};

/** A few bytes anywhere set to random or edge values, or an opcode byte replaced by another opcode. */
const byteFlip: Mutator = (rng, chunks) => {
  const bytes = joinChunks(chunks).slice();
  if (bytes.length === 0) return [{ code: -1, bytes: Uint8Array.of(rng.below(256)) }];
  for (let n = 1 + rng.below(4); n > 0; n--) {
    const i = rng.below(bytes.length);
    bytes[i] = rng.chance(0.5) ? rng.below(256) : rng.pick([0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x28, 0x2e, 0x94, 0x95]) ^ (rng.chance(0.2) ? 1 << rng.below(8) : 0);
  }
  return [{ code: -1, bytes }];
};

export const MUTATORS: Record<string, Mutator> = { lengthLie, memoGames, markFrameStop, splice, textOpcode, repeat, dropSwapCut, byteFlip };
const NAMES = Object.keys(MUTATORS);

/** A mutant of `seed`: 1–4 mutations, each on the opcode structure of the previous result. */
export function mutate(rng: Rng, seed: Uint8Array, seeds: readonly Uint8Array[]): { data: Uint8Array; steps: string[] } {
  let chunks = splitOps(seed);
  const steps: string[] = [];
  const other = () => splitOps(rng.pick(seeds));
  for (let n = 1 + rng.below(4); n > 0; n--) {
    const name = rng.pick(NAMES);
    chunks = MUTATORS[name]!(rng, chunks, other);
    steps.push(name);
    const data = joinChunks(chunks);
    if (data.length > MAX_INPUT) return { data: data.subarray(0, MAX_INPUT), steps };
    if (n > 1) chunks = splitOps(data);
  }
  return { data: joinChunks(chunks), steps };
}
