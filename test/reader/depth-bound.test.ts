// maxDepth is checked against a bound the reader keeps while it reads (unpickler.ts, `heights`),
// and the result is walked only when that bound is over the limit. Each way a pickle can make its
// result deeper must keep the bound sound: one level over the limit refused, exactly the limit
// accepted. And the common pickles CPython writes must not be walked at all.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type ReadOptions, loads, loadsPlain } from "../../runtime/index.ts";
import { depthWalks } from "../../runtime/reader/unpickler.ts";
import { fromHex, runPython } from "../support/python.ts";

const LIMIT = 50;
const bytesOf = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const DEPTH_ERROR = new RegExp(`nesting depth exceeds the limit of ${LIMIT} \\(limits.maxDepth\\)`);

/** A pickle whose result is `depth` levels deep, built by one way of nesting. */
type Maker = (depth: number) => string;
const repeat = (text: string, n: number) => text.repeat(Math.max(0, n));

const WAYS: Record<string, { make: Maker; options?: ReadOptions; plain?: boolean }> = {
  "APPEND (lists on the stack)": { make: (n) => `${repeat("]", n)}${repeat("a", n - 1)}.` },
  APPENDS: { make: (n) => `${repeat("](", n - 1)}]${repeat("e", n - 1)}.` },
  SETITEM: { make: (n) => `}${repeat("K\x00}", n - 1)}${repeat("s", n - 1)}.` },
  SETITEMS: { make: (n) => `${repeat("}(K\x00", n - 1)}}${repeat("u", n - 1)}.` },
  "ADDITEMS of frozensets": { make: (n) => `\x8f(${repeat("(", n - 1)}${repeat("\x91", n - 1)}\x90.` },
  FROZENSET: { make: (n) => `${repeat("(", n)}${repeat("\x91", n)}.` },
  LIST: { make: (n) => `${repeat("(", n - 1)}]${repeat("l", n - 1)}.` },
  DICT: { make: (n) => `${repeat("(K\x00", n - 1)}}${repeat("d", n - 1)}.` },
  TUPLE: { make: (n) => `${repeat("(", n - 1)})${repeat("t", n - 1)}.` },
  "TUPLE1 at a constant stack height": { make: (n) => `)${repeat("\x85", n - 1)}.` },
  TUPLE2: { make: (n) => `)${repeat("N\x86", n - 1)}.` },
  TUPLE3: { make: (n) => `)${repeat("NN\x87", n - 1)}.` },
  "memo GET + APPEND (the root never leaves the stack)": { make: (n) => `]q\x00${repeat("h\x00]q\x00a0", n - 1)}.` },
  "DUP, then the copy made deeper": { make: (n) => `]2${repeat("]", n - 1)}${repeat("a", n - 1)}0.` },
  "REDUCE wrapping (opaque)": { make: (n) => `${repeat("cm\nf\n", n - 1)})${repeat("\x85R", n - 1)}.`, options: { mode: "opaque" } },
  "NEWOBJ wrapping (opaque)": { make: (n) => `${repeat("cm\nC\n", n - 1)})${repeat("\x85\x81", n - 1)}.`, options: { mode: "opaque" } },
  "NEWOBJ_EX wrapping (opaque)": { make: (n) => `${repeat("cm\nC\n", n - 1)})${repeat("\x85}\x92", n - 1)}.`, options: { mode: "opaque" } },
  "INST wrapping (opaque)": { make: (n) => `${repeat("(", n - 1)})${repeat("im\nf\n", n - 1)}.`, options: { mode: "opaque" } },
  "OBJ wrapping (opaque)": { make: (n) => `${repeat("(cm\nf\n", n - 1)})${repeat("o", n - 1)}.`, options: { mode: "opaque" } },
  "BUILD state chain (opaque)": { make: (n) => `${repeat("cm\nC\n)\x81", n - 1)})${repeat("b", n - 1)}.`, options: { mode: "opaque" } },
  "BUILD through a memo alias (opaque)": {
    // Each object is put in the memo, attached as the state of the one before, then fetched and given a state.
    make: (n) => `cm\nC\n)\x81q\x00${repeat("h\x00cm\nC\n)\x81q\x00b0", n - 1)}.`,
    options: { mode: "opaque" },
  },
  "strict reductions (a naive datetime in nested lists)": {
    make: (n) => `${repeat("]", n - 1)}cdatetime\ndatetime\nC\x0a\x07\xe4\x01\x01\x00\x00\x00\x00\x00\x00\x85R${repeat("a", n - 1)}.`,
  },
  "strict reductions (builtins.frozenset of a list)": { make: (n) => `${repeat("c__builtin__\nfrozenset\n(", n - 1)}(\x91${repeat("l\x85R", n - 1)}.` },
  "plain mode: dicts that become Maps": { make: (n) => `}${repeat("K\x01}", n - 1)}${repeat("s", n - 1)}.`, plain: true },
  "plain mode: a Map made through memo aliases": { make: (n) => `}q\x00${repeat("h\x00K\x01}q\x00s0", n - 1)}.`, plain: true },
  "plain mode: str-keyed dicts": { make: (n) => `${repeat("}(X\x01\x00\x00\x00a", n - 1)}}${repeat("u", n - 1)}.`, plain: true },
};

const test = suite("maxDepth bound: sound for every way of nesting, and walks spared");

for (const [name, way] of Object.entries(WAYS)) {
  const read = (text: string) => {
    const options = { ...way.options, limits: { maxDepth: LIMIT } };
    return way.plain ? loadsPlain(bytesOf(text), options) : loads(bytesOf(text), options);
  };
  test(`${name}: ${LIMIT} levels accepted, ${LIMIT + 1} refused`, () => {
    read(way.make(LIMIT));
    assert.throws(
      () => read(way.make(LIMIT + 1)),
      (e: Error) => DEPTH_ERROR.test(e.message),
    );
    // The default maxDepth too (dicts and sets cost more than their byte: a larger allocation budget).
    const deep = bytesOf(way.make(10_001));
    const options = { ...way.options, limits: { allocationFactor: 1000 } };
    assert.throws(
      () => (way.plain ? loadsPlain(deep, options) : loads(deep, options)),
      (e: Error) => /nesting depth exceeds the limit of 10000 \(limits\.maxDepth\)/.test(e.message),
    );
  });
}

// What CPython writes for the bench's workloads: records as dicts (with datetimes), nested lists,
// instances of a class (opaque mode: NEWOBJ + BUILD), many strings shared through the memo.
const EXPRESSIONS = [
  "[{'name': 'n%d' % i, 'tags': ['a', 'b'], 'created': datetime.datetime(2020, 1, 1, i % 24), 'address': {'city': 'c', 'zip': str(i)}} for i in range(200)]",
  "[functools.reduce(lambda acc, _: [acc, 1], range(48), []), [[] for _ in range(100)]]", // exactly 50 levels
  "[User(i) for i in range(200)]",
];
const PROGRAM = `
import pickle, json, datetime, functools
class User:
    def __init__(self, i): self.name, self.tags, self.score = 'u%d' % i, ['x'], {'a': [i]}
print(json.dumps([pickle.dumps(eval(e), protocol=p).hex() for e in ${JSON.stringify(EXPRESSIONS)} for p in (2, 4, 5)]))
`;
const [records2, records4, records5, deep2, deep4, deep5, users2, users4, users5] = (JSON.parse(runPython(["-c", PROGRAM])) as string[]).map(fromHex);

test("CPython's records, nested lists and instances are not walked (the bound stays under the limit)", () => {
  const limits = { maxDepth: LIMIT };
  for (const data of [records2!, records4!, records5!, deep2!, deep4!, deep5!]) {
    const before = depthWalks;
    loads(data, { limits });
    loadsPlain(data, { limits });
    assert.is(depthWalks, before, "walked");
  }
  for (const data of [users2!, users4!, users5!]) {
    const before = depthWalks;
    loads(data, { mode: "opaque", limits });
    assert.is(depthWalks, before, "walked an opaque pickle");
  }
});

test("a pickle sharing containers through the memo is walked, and still accepted", () => {
  const shared = fromHex(
    JSON.parse(runPython(["-c", `import pickle, json, datetime; x = [1]; print(json.dumps(pickle.dumps([[x, x] for _ in range(60)], protocol=4).hex()))`])) as string,
  );
  const before = depthWalks;
  loads(shared, { limits: { maxDepth: LIMIT } });
  assert.is(depthWalks, before + 1);
});

test.run();
