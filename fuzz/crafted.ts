// Hand-made resource-exhaustion inputs from issue 9, run through every entry point under the same
// watchdog as the mutants (test/fuzz/crafted.test.ts, and `npm run fuzz -- --crafted`).
const latin1 = (s: string) => Buffer.from(s, "latin1");
const cat = (...parts: (string | Uint8Array | number[])[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? latin1(p) : Buffer.from(p as Uint8Array)))));
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};
const str = (s: string) => cat("\x8c", [Buffer.byteLength(s)], Buffer.from(s));
const repeat = (s: string, n: number) => latin1(s.repeat(n));

export interface CraftedInput {
  name: string;
  data: Uint8Array;
  /** What it attacks, and the numbers before the fix. */
  note: string;
}

/** A 100 KB bytes value memoised once and fetched `n` times through BINGET as keys of one container. */
function sharedKey(n: number, container: "set" | "dict"): Uint8Array {
  const key = cat("B", u32(100 * 1024), Buffer.alloc(100 * 1024, 0x61), "\x94");
  if (container === "set") return cat("\x80\x04\x8f(", key, repeat("h\x00", n - 1), "\x90.");
  return cat("\x80\x04}(", key, "N", repeat("h\x00N", n - 1), "u.");
}

/** `t = (t', t')` nested `levels` deep, inside a set: exponential for anything that follows paths. */
function sharedTupleDag(levels: number): Uint8Array {
  const parts: (string | number[])[] = ["\x80\x04N\x94"];
  for (let k = 0; k < levels; k++) parts.push([0x68, k, 0x68, k, 0x86, 0x94]);
  parts.push([0x8f, 0x28, 0x68, levels, 0x90, 0x2e]);
  return cat(...parts);
}

export const CRAFTED: CraftedInput[] = [
  {
    name: "far-memo-2^26",
    data: Uint8Array.from([0x4e, 0x72, 0x00, 0x00, 0x00, 0x04, 0x72, 0x01, 0x00, 0x00, 0x04, 0x2e]),
    note: "NONE, LONG_BINPUT 2^26, LONG_BINPUT 2^26+1, STOP: aborted Node after ~24 s (issue 9 #1); must take milliseconds",
  },
  {
    name: "far-memo-2^24",
    data: Uint8Array.from([0x4e, 0x72, 0x00, 0x00, 0x00, 0x01, 0x72, 0x01, 0x00, 0x00, 0x01, 0x2e]),
    note: "the 2^24 variant: 6.5 s and 1.1 GiB (issue 9 #1)",
  },
  { name: "shared-bytes-key-set", data: sharedKey(20_000, "set"), note: "100 KB bytes key reused 20,000x through BINGET in one ADDITEMS: 27 s (issue 9 #3)" },
  { name: "shared-bytes-key-dict", data: sharedKey(20_000, "dict"), note: "the same through SETITEMS" },
  {
    name: "shared-str-in-tuple-keys",
    data: cat("\x80\x04}(X", u32(500 * 1024), Buffer.alloc(500 * 1024, 0x62), "\x94", repeat("h\x00\x85N", 5000), "u."),
    note: "a 500 KB str inside 5,000 tuple keys: 3.5 s (issue 9 #3)",
  },
  {
    name: "long4-key",
    data: cat("\x80\x04}(\x8b", u32(1780), Buffer.alloc(1780, 0x5a), "\x94N", repeat("h\x00N", 20_000), "u."),
    note: "a 1,780-byte LONG4 key reused 20,000x: 6.9 s (issue 9 #3)",
  },
  { name: "dis-reduce-pops-mark", data: latin1("(NRt."), note: "`dis` never returned (issue 9 #4)" },
  { name: "deep-marks", data: cat(repeat("(", 150_000), "N."), note: "150,000 open MARKs: pickletools' indentation made `dis` print ~45 GB (found by the fuzz harness)" },
  { name: "mark-slice-1M", data: cat("(", repeat("N", 1_000_000), "t."), note: "`scan` quadratic in a MARK slice: 88 s (issue 9 #5)" },
  { name: "tuple-dag-in-set", data: sharedTupleDag(26), note: "`show --json` exponential on shared tuples in a set: 1.2 GB (issue 9 #6)" },
  { name: "list-70k-items", data: cat("](", repeat("N", 70_000), "e."), note: "`show` of a list of >= ~60k items: stack overflow (issue 9 #10)" },
  { name: "many-small-pickles", data: repeat("N.", 500_000), note: "500,000 x `N.`: loadsAll 3.3 s, loadStream 7.1 s (issue 9 #11)" },
  { name: "frame-2^52", data: cat("\x80\x04\x95", u64(1n << 52n), "N."), note: "a FRAME claiming 2^52 bytes: the stream reader buffered without bound (issue 9 #12)" },
  { name: "no-stop", data: cat("\x80\x04", repeat("N0", 300_000)), note: "a pickle without STOP (issue 9 #12)" },
  { name: "empty-dicts-1M", data: cat(repeat("}", 1_000_000), "."), note: "1,000,000 empty dicts: +226 MiB (issue 9 #13)" },
  { name: "bytearray8-4GiB", data: cat("\x80\x05\x96", u64(1n << 32n), "."), note: "BYTEARRAY8 allocated its declared 4 GiB (issue 9 #14)" },
  { name: "bytearray8-huge", data: cat("\x80\x05\x96", u64((1n << 62n) + 5n), "."), note: "past 4 GiB a RangeError text leaked (issue 9 #14)" },
  {
    name: "newline-in-stack-global",
    data: cat("\x80\x04", str("os\nsystem\n(S'echo INJECTED'\ntR."), str("x"), "\x93."),
    note: "a STACK_GLOBAL module with newlines: written at protocol <= 3 it became an os.system call (issue 9 #2)",
  },
  {
    name: "builtin-eval-stack-global",
    data: cat("\x80\x04", str("__builtin__"), str("eval"), "\x93."),
    note: "`__builtin__.eval` written as GLOBAL at protocol <= 2 becomes builtins.eval (issue 9 #2)",
  },
  { name: "empty", data: new Uint8Array(0), note: "an empty input (issue 9 #20)" },
];
