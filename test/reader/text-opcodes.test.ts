// The protocol-0 text opcodes and other edge cases, each read by CPython's C unpickler in one batch:
// we accept exactly what it accepts, with the same values, and refuse what it refuses.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UnpicklingError, loads, type ReadOptions } from "../../runtime/index.ts";
import { toTagged } from "../../runtime/format/tagged-json.ts";
import { runPythonJsonLines, toHex } from "../support/python.ts";

const CASES: [string, ReadOptions["encoding"]?][] = [
  // INT: strtol(base 0) first, then int(text, 0); "00"/"01" are bools
  ["I0\n."],
  ["I1\n."],
  ["I00\n."],
  ["I01\n."],
  ["I-0\n."],
  ["I+1\n."],
  ["I 5\n."],
  ["I\t-7\n."],
  ["I0x1f\n."],
  ["I0X1F\n."],
  ["I010\n."],
  ["I08\n."],
  ["I0o17\n."],
  ["I0b101\n."],
  ["I1_000\n."],
  ["I1__0\n."],
  ["I_1\n."],
  ["I1_\n."],
  ["I2147483648\n."],
  ["I9223372036854775807\n."],
  ["I9223372036854775808\n."],
  ["I-9223372036854775809\n."],
  ["I" + "9".repeat(40) + "\n."],
  ["I" + "0".repeat(40) + "17\n."],
  ["I12abc\n."],
  ["Iabc\n."],
  ["I\n."],
  ["I1 \n."],
  ["I 1 \n."],
  ["I1\x00junk\n."],
  ["I0x\n."],
  ["I-\n."],
  ["I+\n."],
  ["I1.5\n."],
  ["I１\n."],
  // LONG: optional L, int(text, 0)
  ["L0\n."],
  ["L0L\n."],
  ["L-5L\n."],
  ["L123456789012345678901234567890L\n."],
  ["L0x10L\n."],
  ["L010L\n."],
  ["L1_0L\n."],
  ["LL\n."],
  ["L\n."],
  ["L 12 L\n."],
  ["L12LL\n."],
  ["L00\n."],
  ["L1e3\n."],
  // FLOAT: PyOS_string_to_double, no surrounding space, overflow refused
  ["F1.0\n."],
  ["F-0.0\n."],
  ["F1e300\n."],
  ["F1e400\n."],
  ["F-1e400\n."],
  ["Finf\n."],
  ["F-inf\n."],
  ["FINF\n."],
  ["Finfinity\n."],
  ["Fnan\n."],
  ["F-nan\n."],
  ["FNaN\n."],
  ["F.5\n."],
  ["F5.\n."],
  ["F1e5\n."],
  ["F1E-5\n."],
  ["F 1.0\n."],
  ["F1.0 \n."],
  ["F1_0\n."],
  ["F0x10\n."],
  ["F\n."],
  ["F1e\n."],
  ["F+1.5\n."],
  ["F1.0\x00x\n."],
  ["F4.9e-324\n."],
  ["F1e-400\n."],
  // STRING: quoted, Python 2 escapes, then decoded as ASCII by default
  ["S'abc'\n."],
  ['S"abc"\n.'],
  ["S''\n."],
  ["S'a\\nb'\n."],
  ["S'\\x41\\x42'\n."],
  ["S'\\101'\n."],
  ["S'\\1234'\n."],
  ["S'\\q'\n."],
  ["S'\\x4'\n."],
  ["S'\\'\n."],
  ["S'abc\n."],
  ["Sabc\n."],
  ["S'a\\\\b'\n."],
  ["S'\\x80'\n."],
  ["S'\\x80'\n.", "latin1"],
  ["S'\\x80'\n.", "bytes"],
  ["S'caf\xc3\xa9'\n.", "utf-8"],
  ["S'\\'\\''\n."],
  ["S'\\\n'\n."],
  ["S'a\\tb\\rc\\fd\\ve\\af\\bg'\n."],
  ["U\x03abc."],
  ["U\x03\xe9\xe8\xe7.", "latin1"],
  ["U\x03\xe9\xe8\xe7."],
  ["T\x02\x00\x00\x00hi."],
  ["T\xff\xff\xff\xffhi."],
  // UNICODE: raw-unicode-escape
  ["Vabc\n."],
  ["V\\u00e9\n."],
  ["V\\U0001F600\n."],
  ["V\\ud800\n."],
  ["V\\\\u0041\n."],
  ["V\\\\\\u0041\n."],
  ["V\\x41\n."],
  ["V\xe9\n."],
  ["V\\u12\n."],
  ["V\\U00110000\n."],
  ["V\\\n."],
  ["V\\U0001f60\n."],
  // GET/PUT text indices
  ["Np0\ng0\n."],
  ["Np 1\ng1\n."],
  ["Np+1\ng1\n."],
  ["Np01\ng1\n."],
  ["Np-1\n."],
  ["Np\n."],
  ["Npx\n."],
  // misc
  ["\x80\x06N."],
  ["\x80\x05N."],
  ["(N."],
  ["NN."],
  ["(N(1."],
  ["N0N."],
  ["((1N."],
  ["]N\x85\x85a."],
  ["\x88\x89."],
  ["}K\x01K\x02sK\x01K\x03s."],
  ["}K\x01K\x02s\x88K\x03s."],
  ["}(K\x01K\x02\x88K\x03G?\xf0\x00\x00\x00\x00\x00\x00K\x04u."],
  ["}]K\x01s."],
  ["\x8f(]\x90."],
  ["(]\x91."],
  ["\x8f(K\x01K\x01\x90."],
  ["}(K\x01\x85K\x02K\x01\x85K\x03u."],
  ["\x8a\x00."],
  ["\x8a\x01\xff."],
  ["\x8a\x02\x00\x80."],
  ["\x8b\x00\x00\x00\x00."],
  ["\x8b\xff\xff\xff\xff."],
  ["X\x02\x00\x00\x00\xed\xa0."],
  ["X\x03\x00\x00\x00\xed\xa0\x80."],
  ["X\x04\x00\x00\x00\xf0\x9f\x98\x80."],
  ["X\x02\x00\x00\x00\xc0\x80."],
  ["X\x03\x00\x00\x00\xef\xbb\xbf."],
  ["X\x01\x00\x00\x00\x80."],
];

const test = suite("text opcodes and edge cases vs CPython");

test(`${CASES.length} crafted pickles: same values, same refusals`, () => {
  const input = CASES.map(([text, encoding]) => toHex(new Uint8Array(Buffer.from(text, "latin1"))) + (encoding ? " " + JSON.stringify({ encoding }) : "")).join("\n");
  const results = runPythonJsonLines<{ ok: boolean; tagged?: unknown; error?: string }>(["loads_batch.py"], input);
  assert.is(results.length, CASES.length);
  const failures: string[] = [];
  CASES.forEach(([text, encoding], i) => {
    const r = results[i]!;
    let ours: string;
    try {
      ours = JSON.stringify(toTagged(loads(new Uint8Array(Buffer.from(text, "latin1")), { mode: "opaque", ...(encoding && { encoding }) })));
    } catch (e) {
      if (!(e instanceof UnpicklingError)) ours = `WRONG ERROR TYPE ${(e as Error).constructor.name}: ${(e as Error).message}`;
      else ours = "refused";
    }
    const theirs = r.ok ? JSON.stringify(r.tagged) : "refused";
    if (ours !== theirs) failures.push(`${JSON.stringify(text)}${encoding ? ` (${encoding})` : ""}: ours ${ours}, CPython ${r.ok ? theirs : r.error}`);
  });
  assert.equal(failures.length, 0, failures.join("\n"));
  const refusedByCPython = results.filter((r) => !r.ok).length;
  assert.ok(refusedByCPython > 30 && CASES.length - refusedByCPython > 60, `${refusedByCPython} refused of ${CASES.length}`);
});

test.run();
