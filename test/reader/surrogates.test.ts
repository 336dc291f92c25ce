// A Python str may hold a high and a low surrogate side by side as two code points ('\ud83d\ude00');
// a JavaScript string holding them is the one character U+1F600, and would be written back as it.
// Every way a str reaches us refuses that pair with a clear error instead of merging it; lone
// surrogates and real astral characters still load exactly.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { ExactReader, T, UnpicklingError, dumps, loads, loadsTyped } from "../../runtime/index.ts";
import { decodeUtf8 } from "../../runtime/utf8.ts";
import { fromHex, runPython } from "../support/python.ts";

const test = suite("surrogate pairs in a str");

/** CPython's pickles of `expr` at protocols 0–5, as hex lines. */
function cpython(expr: string): Uint8Array[] {
  return runPython(["-c", `import pickle\nfor p in range(6): print(pickle.dumps(${expr}, p).hex())`])
    .trim()
    .split("\n")
    .map(fromHex);
}

const PAIR = /str holds the surrogate pair U\+D83D U\+DE00 as two code points .*JavaScript strings cannot keep them apart from the character U\+1F600/;

function refusedWith(read: () => unknown, message: RegExp): void {
  try {
    read();
  } catch (e) {
    assert.instance(e, UnpicklingError);
    assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable("accepted (merged into one character)");
}

test("CPython's '\\ud83d\\ude00' is refused at every protocol (BINUNICODE, SHORT_BINUNICODE, UNICODE escapes)", () => {
  for (const [protocol, data] of cpython("'\\ud83d\\ude00'").entries()) {
    refusedWith(() => loads(data), PAIR);
    refusedWith(() => loads(data, { mode: "opaque" }), PAIR);
    assert.ok(protocol >= 0);
  }
  // Inside a longer string (the native decoder's path, not the short-string one), and as a dict key.
  for (const data of cpython("{'k': ['x' * 100 + '\\ud83d\\ude00' + 'é' * 50]}")) refusedWith(() => loads(data), PAIR);
  for (const data of cpython("{'é' * 20 + '\\ud83d\\ude00': 1}")) refusedWith(() => loads(data), PAIR);
});

test("the typed exact reader and typed loads refuse it too", () => {
  const data = cpython("'\\ud83d\\ude00'")[4]!;
  // The exact reader uses the same decoder: it never hands out the merged string (it misses, and
  // the general reader words the refusal).
  const r = new ExactReader(data);
  r.begin();
  assert.throws(() => r.str());
  refusedWith(() => loadsTyped(T.str, data), PAIR);
  refusedWith(() => loadsTyped(T.list(T.str), cpython("['ok', '\\ud83d\\ude00']")[4]!), PAIR);
});

test("STRING / BINSTRING with encoding utf-8 decode strictly, as CPython (errors='strict')", () => {
  const expected = runPython([
    "-c",
    "import pickle\ntry:\n    pickle.loads(b'U\\x06\\xed\\xa0\\xbd\\xed\\xb8\\x80.', encoding='utf-8')\nexcept UnicodeDecodeError as e:\n    print('refused')",
  ]);
  assert.is(expected.trim(), "refused");
  for (const hex of ["5506eda0bdedb8802e", "5503eda0bd2e", "53275c7865645c7861305c786264270a2e"]) {
    assert.throws(
      () => loads(fromHex(hex), { encoding: "utf-8" }),
      (e: unknown) => e instanceof UnpicklingError && /can't decode byte 0xed/.test((e as Error).message),
    );
  }
  assert.is(loads(fromHex("5504f09f98802e"), { encoding: "utf-8" }), "\u{1f600}");
});

test("lone surrogates, reversed pairs and real astral characters still load exactly, and round-trip through CPython", () => {
  const cases: [string, string][] = [
    ["'\\ud83d'", "\ud83d"],
    ["'\\ude00'", "\ude00"],
    ["'\\ude00\\ud83d'", "\ude00\ud83d"],
    ["'\\ud83d\\ud83d\\ude00'[:1] + '\\U0001f600'", "\ud83d\u{1f600}"],
    ["'\\U0001f600'", "\u{1f600}"],
    ["'a\\ud800b' * 30", "a\ud800b".repeat(30)],
  ];
  for (const [expr, want] of cases) {
    const pickles = cpython(expr);
    for (const data of pickles) assert.is(loads(data), want, expr);
    assert.equal(dumps(want, { protocol: 4 }), pickles[4], expr);
  }
});

test("the fast path (no surrogates) is unchanged; the decoder refuses the pair wherever it stands", () => {
  const bytes = Buffer.from("eda0bdedb880", "hex");
  assert.throws(() => decodeUtf8(bytes, 0, bytes.length), PAIR);
  const long = Buffer.concat([Buffer.from("x".repeat(5000)), bytes]);
  assert.throws(() => decodeUtf8(long, 0, long.length), PAIR);
  // The high surrogate is the last unit of a flushed 4096-unit chunk, the low one starts the next.
  const straddling = Buffer.concat([Buffer.from("é".repeat(4095)), bytes]);
  assert.throws(() => decodeUtf8(straddling, 0, straddling.length), PAIR);
  const text = "héllo wörld ".repeat(1000) + "\u{1f600}";
  const encoded = Buffer.from(text);
  assert.is(decodeUtf8(encoded, 0, encoded.length), text);
});

test.run();
