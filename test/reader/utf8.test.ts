// decodeUtf8 takes Node's native decoder when the bytes are plain UTF-8 and the hand-written one
// otherwise; the answer must be Python's bytes.decode("utf-8", "surrogatepass") either way.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { decodeUtf8, Utf8Error } from "../../runtime/utf8.ts";
import { runPython } from "../support/python.ts";

const test = suite("utf8 (surrogatepass)");

const cases = [
  "61", // a
  "616263646566676869", // 9 ASCII bytes
  "6162636465666768696a6b6c6d6e6f70", // 16 ASCII bytes: the longest made by String.fromCharCode
  "6162636465666768696a6b6c6d6e6f7071", // 17 ASCII bytes: past the short path
  "6162636465666768696a6b6cc3a9", // 12 ASCII bytes and é: short, not ASCII
  "6162636465666768696a6b6c6dff", // an invalid byte in a short string
  "efbfbd", // a real U+FFFD, short
  "6162636465666768efbfbd6162", // a real U+FFFD in a long string
  "6162636465666768eda080", // an encoded lone surrogate (U+D800) in a long string
  "eda0bdedb880616263646566", // a surrogate pair encoded separately (CESU-style)
  "f09f9880616263646566676869", // an astral character
  "6162636465666768ff", // an invalid byte
  "6162636465666768c0af", // an overlong '/'
  "616263646566676869e282", // a truncated sequence at the end
  "c3a9c3a9c3a9c3a9c3a9", // é × 5
];

test("every case as Python decodes it (or refuses it)", () => {
  const python = JSON.parse(
    runPython([
      "-c",
      `
import json, sys
out = []
for h in ${JSON.stringify(cases)}:
    try:
        out.append([ord(c) for c in bytes.fromhex(h).decode("utf-8", "surrogatepass")])
    except UnicodeDecodeError:
        out.append(None)
print(json.dumps(out))
`,
    ]),
  ) as (number[] | null)[];
  cases.forEach((h, i) => {
    const bytes = Buffer.from(h, "hex");
    for (const input of [bytes, new Uint8Array(bytes)]) {
      const expected = python[i] as number[] | null; // one entry per case
      // A high surrogate code point right before a low one: Python keeps two code points, a JS
      // string would be the one astral character, so the decoder refuses (test/reader/surrogates).
      const separatePair = expected?.some((cp, j) => cp >= 0xd800 && cp <= 0xdbff && expected[j + 1]! >= 0xdc00 && expected[j + 1]! <= 0xdfff);
      if (expected === null || separatePair) {
        assert.throws(
          () => decodeUtf8(input, 0, input.length),
          (e: unknown) => e instanceof Utf8Error,
          h,
        );
      } else {
        const got = decodeUtf8(input, 0, input.length);
        const units = expected.flatMap((cp) => (cp > 0xffff ? [0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)] : [cp]));
        assert.equal(
          Array.from({ length: got.length }, (_, j) => got.charCodeAt(j)),
          units,
          h,
        );
      }
    }
  });
});

test("every length of ASCII, read from inside a larger buffer, is those bytes", () => {
  const text = "The quick brown fox jumps over the lazy dog";
  const buffer = Buffer.from(`--${text}--`, "latin1");
  for (const input of [buffer, new Uint8Array(buffer)]) {
    for (let length = 0; length <= 24; length++) {
      assert.is(decodeUtf8(input, 2, 2 + length), text.slice(0, length), `length ${length}`);
    }
  }
});

test.run();
