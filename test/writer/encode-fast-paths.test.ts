// The generic writer's fast paths, each fed values that route through it and the values on either
// side of its limits, against CPython: pickles CPython wrote (values with no two equal strings, so
// CPython's identity memo and ours by value agree) are read and written again at their protocol and
// must come back byte for byte.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dumps, loads } from "../../runtime/index.ts";
import { fromHex, runPython, toHex } from "../support/python.ts";

const cases: Record<string, string> = JSON.parse(
  runPython([
    "-c",
    `
import json, pickle
out = {}
def dump(name, value, protocols=(0, 1, 2, 3, 4, 5)):
    for p in protocols:
        out[f'{name} p{p}'] = pickle.dumps(value, protocol=p).hex()

# Strings of every length around the encoder switches (the JS loop up to 16 units, a short string up
# to 85 units, the native encoder above), in ASCII, 2-byte, 3-byte, astral and lone-surrogate forms.
def strings(fill, tag):
    return [(fill * n)[:n] + tag + str(n) for n in (0, 1, 5, 10, 13, 14, 15, 16, 17, 20, 40, 80, 81, 82, 83, 84, 85, 86, 200, 300, 20999, 21000, 70000)]
for name, fill in [('ascii', 'a'), ('latin', 'é'), ('cjk', '漢'), ('astral', '😀'), ('mixed', 'a😀é')]:
    dump(f'strings {name}', strings(fill, '|'), (1, 2, 4, 5))
dump('strings lone surrogates', strings('\\ud800', '|') + strings('x\\udfff', '~') + strings('\\udc00\\udc00', '^') + strings('\\ud800y', '!'), (1, 2, 4, 5))

# Ints: each opcode's limits, runs of them crossing frames and batches, bigints between.
edges = [0, 1, 255, 256, 65535, 65536, 2**31 - 1, 2**31, -1, -128, -129, -2**31, -2**31 - 1, 2**52, 2**53 - 1, 2**53, -2**53 + 1, -2**53, 2**63 - 1, 2**63, -2**63, -2**63 - 1, 2**64, -(2**64), 2**100, -(2**100) + 7, 2**2000 + 1]
dump('int edges', edges)
dump('int runs', [((i * 2654435761) % (2**40)) - 2**39 if i % 7 else (2**70 + i) for i in range(25000)], (2, 4, 5))
dump('int runs small', [i % 300 - 40 for i in range(140000)], (1, 2, 4))

# Containers: lists and dicts around the batch size, nested, mixed with floats, None, bools, bytes.
dump('lists', [[], [1], [1, 2], list(range(999)), list(range(1000)), list(range(1001)), [[[[]]]], [0.5, None, True, False, b'x', b'', 'k', 2**70]])
dump('dicts', [{}, {'a': 1}, {f'k{i}': i for i in range(1000)}, {f'q{i}': [i, f'v{i}', i * 0.5] for i in range(1001)}, {1: 'x', 2.5: None, (1, 2): b'yz'}])
dump('bytes', [b'', b'a', bytes(255), bytes(range(256)), bytes(70000), bytes(200000)])
dump('sets', [set(), {1, 2}, frozenset({3}), set(range(2500))], (2, 4, 5))
print(json.dumps(out))
`,
  ]),
);

const test = suite("generic encode fast paths");

test("re-encoded byte for byte at each protocol", () => {
  assert.ok(Object.keys(cases).length > 40);
  const failures: string[] = [];
  for (const [name, hex] of Object.entries(cases)) {
    const protocol = Number(name.slice(name.lastIndexOf(" p") + 2));
    const ours = toHex(dumps(loads(fromHex(hex), { limits: { maxIntDigits: 1e6 } }), { protocol }));
    if (ours !== hex) {
      let at = 0;
      while (ours[at] === hex[at]) at++;
      failures.push(`${name}: first difference at byte ${at >> 1}: ours …${ours.slice(at, at + 40)}, CPython …${hex.slice(at, at + 40)}`);
    }
  }
  assert.equal(failures, []);
});

test("ints outside int32 written alone (not in a list's run) across the output buffer's growth", () => {
  // The pad (bytes: reserved exactly) moves the int one byte at a time across the first buffer's end.
  for (const protocol of [2, 4]) {
    for (let k = 960; k < 1060; k++) {
      const value = new Map<string, bigint | Uint8Array>([
        ["pad", new Uint8Array(k)],
        ["n", -(2n ** 52n) + 12345n],
      ]);
      assert.equal(loads(dumps(value, { protocol })), value, `protocol ${protocol}, pad ${k}`);
    }
  }
});

test("strings with lone surrogates, written from JavaScript, read back unchanged", () => {
  const value = [...Array(100).keys()].map((n) => "\ud800".repeat(n) + "x" + "\udc00".repeat(n % 7) + n);
  assert.equal(loads(dumps(value)), value);
});

test.run();
