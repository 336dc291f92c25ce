// What CPython's C unpickler (pickle.loads, Python 3.11) accepts and refuses, we accept and refuse,
// with the same value: text indices with underscores, BUILD states that set nothing, timedelta's
// seven arguments (floats rounded as delta_new rounds them), APPENDS / SETITEMS / ADDITEMS of
// nothing on any target, Decimal's context argument, complex() from text, _codecs.encode's error
// handlers, ZoneInfo key checks. The few deliberate differences are asserted as such at the end
// (the README names them).
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UnpicklingError, loads } from "../../runtime/index.ts";
import { pyRepr } from "../../runtime/format/repr.ts";
import { fromHex, runPython } from "../support/python.ts";

const test = suite("accept and refuse as CPython");

/** Pickles as Python bytes literals (readable opcodes); each is run through both unpicklers. */
const CASES = String.raw`
b"I1_0\n."
b"L1_0\n."
b"L-1_000L\n."
b"I1__0\n."
b"(lp1_0\ng10\n."
b"(lp 1_0 \ng1_0\n."
b"(lp+1\ng1\n."
b"(lp010\ng10\n."
b"(lp-0\ng0\n."
b"(lp1__0\n."
b"(lp1_\n."
b"(lp_1\n."
b"(lp0x1\n."
b"(lp-1\n."
b"(lp1\x002\ng1\n."
b"]Nb."
b"}Nb."
b"]N}\x86b."
b"]NN\x86b."
b"]}b."
b"]K\x01b."
b"\x8c\x01aNb."
b"cdatetime\ntimedelta\n(K\x01K\x02K\x03K\x04K\x05K\x06K\x07tR."
b"cdatetime\ntimedelta\n(J\xff\xff\xff\xffK\x00K\x00J\x18\xfc\xff\xffK\x00K\x00J\xff\xff\xff\xfftR."
b"cdatetime\ntimedelta\n(K\x00K\x00K\x00K\x00K\x00K\x00J\xff\xff\xff\x7ftR."
b"cdatetime\ntimedelta\n(K\x01K\x02K\x03K\x04K\x05K\x06K\x07K\x08tR."
b"cdatetime\ntimedelta\n(\x88\x89\x88tR."
b"cdatetime\ntimedelta\n(U\x01xtR."
td(1.5)
td(0, 0, 0.5)
td(0, 0, 1.5)
td(0, 0, 2.5)
td(0, 0, -0.5)
td(0, 0, -1.5)
td(0, 1e-7)
td(0, 0.0000015)
td(1, 0, 0.5)
td(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
td(-1.25, 3.75, -0.75, 1.001, -2.5, 0.333, -0.01)
td(1e-10, 1e-10, 0.4999999, 0.0005)
td(float("nan"))
td(float("inf"))
td(1e20)
td(1e9)
td(-999999999.0, -86399.0, -999999.0)
b"c__builtin__\ncomplex\n(X\x04\x00\x00\x001+2jtR."
b"c__builtin__\ncomplex\n(X\x0c\x00\x00\x00  ( -1.5e3-j ) tR."
b"c__builtin__\ncomplex\n(X\x04\x00\x00\x001_0jtR."
b"c__builtin__\ncomplex\n(X\x01\x00\x00\x00jtR."
b"c__builtin__\ncomplex\n(X\x08\x00\x00\x00-inf+nanJtR."
b"c__builtin__\ncomplex\n(X\x05\x00\x00\x001e999tR."
b"c__builtin__\ncomplex\n(X\x03\x00\x00\x001+jtR."
b"c__builtin__\ncomplex\n(X\x05\x00\x00\x00.5-.5jtR."
b"c__builtin__\ncomplex\n(X\x02\x00\x00\x001.tR."
b"c__builtin__\ncomplex\n(X\x05\x00\x00\x001 + 2jtR."
b"c__builtin__\ncomplex\n(X\x03\x00\x00\x001__0tR."
b"c__builtin__\ncomplex\n(X\x03\x00\x00\x00(1jtR."
b"c__builtin__\ncomplex\n(X\x00\x00\x00\x00tR."
b"c__builtin__\ncomplex\n(X\x04\x00\x00\x001+2jK\x01tR."
b"c__builtin__\ncomplex\n(K\x01X\x01\x00\x00\x001tR."
b"c__builtin__\ncomplex\n(\x8a\xff" + b"\x00" * 254 + b"\x01tR."
b"c__builtin__\ncomplex\n(\x8a\x80" + b"\x00" * 127 + b"\x01tR."
b"c__builtin__\ncomplex\n(K\x01G\x80\x00\x00\x00\x00\x00\x00\x00tR."
b"c__builtin__\ncomplex\n(c__builtin__\ncomplex\n(K\x01K\x02tRc__builtin__\ncomplex\n(K\x03K\x04tRtR."
b"c__builtin__\ncomplex\n(c__builtin__\ncomplex\n(K\x01K\x02tRtR."
b"c_codecs\nencode\n(X\x07\x00\x00\x00a\xe2\x82\xac\xf0\x9f\x98\x80bU\x06latin1U\x06ignoretR."
b"c_codecs\nencode\n(X\x07\x00\x00\x00a\xe2\x82\xac\xf0\x9f\x98\x80bU\x05asciiU\x07replacetR."
b"c_codecs\nencode\n(X\x07\x00\x00\x00a\xe2\x82\xac\xf0\x9f\x98\x80bU\x07latin-1U\x10backslashreplacetR."
b"c_codecs\nencode\n(X\x07\x00\x00\x00a\xe2\x82\xac\xf0\x9f\x98\x80bU\x05ASCIIU\x11xmlcharrefreplacetR."
b"c_codecs\nencode\n(X\x02\x00\x00\x00\xc3\xa9U\x05asciiU\x10backslashreplacetR."
b"c_codecs\nencode\n(X\x08\x00\x00\x00x\xed\xa0\x80\xed\xb2\x80U\x05utf-8U\x07replacetR."
b"c_codecs\nencode\n(X\x08\x00\x00\x00x\xed\xa0\x80\xed\xb2\x80U\x05utf-8U\x0csurrogatepasstR."
b"c_codecs\nencode\n(X\x08\x00\x00\x00x\xed\xa0\x80\xed\xb2\x80U\x05utf-8U\x10backslashreplacetR."
b"c_codecs\nencode\n(X\x08\x00\x00\x00x\xed\xa0\x80\xed\xb2\x80U\x04utf8U\x11xmlcharrefreplacetR."
b"c_codecs\nencode\n(X\x08\x00\x00\x00x\xed\xa0\x80\xed\xb2\x80U\x05utf-8U\x06ignoretR."
b"c_codecs\nencode\n(X\x08\x00\x00\x00x\xed\xb2\x80\xed\xb3\xbfU\x05utf-8U\x0fsurrogateescapetR."
b"c_codecs\nencode\n(X\x08\x00\x00\x00x\xed\xb2\x80\xed\xb3\xbfU\x06latin1U\x0fsurrogateescapetR."
b"c_codecs\nencode\n(X\x07\x00\x00\x00x\xed\xa0\x80yzU\x05utf-8U\x0fsurrogateescapetR."
b"c_codecs\nencode\n(X\x03\x00\x00\x00\xed\xa0\x80U\x05utf-8U\x0bnamereplacetR."
b"c_codecs\nencode\n(X\x03\x00\x00\x00\xed\xa0\x80U\x05utf-8\x86R."
b"c_codecs\nencode\n(X\x03\x00\x00\x00\xed\xa0\x80U\x05utf-8U\x0csurrogatepasstR."
b"c_codecs\nencode\n(X\x02\x00\x00\x00\xc3\xa9U\x06latin1U\x0csurrogatepasstR."
b"c_codecs\nencode\n(X\x03\x00\x00\x00\xe2\x82\xacU\x06latin1U\x0csurrogatepasstR."
b"c_codecs\nencode\n(X\x03\x00\x00\x00abcU\x06latin1U\x05bogustR."
b"c_codecs\nencode\n(X\x03\x00\x00\x00\xe2\x82\xacU\x06latin1U\x05bogustR."
b"c_codecs\nencode\n(X\x03\x00\x00\x00\xe2\x82\xacU\x05utf-8U\x05bogustR."
b"c_codecs\nencode\n(X\x03\x00\x00\x00\xe2\x82\xacU\x06latin1tR."
b"c__builtin__\nbytes\n(X\x03\x00\x00\x00\xe2\x82\xacU\x06latin1U\x07replacetR."
b"c__builtin__\nbytearray\n(X\x03\x00\x00\x00\xe2\x82\xacU\x05asciiU\x11xmlcharrefreplacetR."
b"c__builtin__\nbytes\n(X\x03\x00\x00\x00\xed\xa0\x80U\x05utf-8tR."
b"cdecimal\nDecimal\n(X\x03\x00\x00\x001.5NtR."
b"cdecimal\nDecimal\n(X\x03\x00\x00\x001.5K\x02tR."
b"C\x00(e."
b"C\x00(u."
b"C\x00(\x90."
b"]N(\x90."
b"c__builtin__\nbytearray\n)R(e."
b"N(K\x01e."
b"N(K\x01K\x02u."
b"\x8f(\x90."
b"czoneinfo\nZoneInfo\n(X\x0c\x00\x00\x00Europe/ParistR."
b"czoneinfo\nZoneInfo\n(X\x0b\x00\x00\x00/etc/passwdtR."
b"czoneinfo\nZoneInfo\n(X\x0f\x00\x00\x00Europe/../ParistR."
b"czoneinfo\nZoneInfo\n(X\x07\x00\x00\x00Europe/tR."
b"czoneinfo\nZoneInfo\n(X\x10\x00\x00\x00../../etc/passwdtR."
b"czoneinfo\nZoneInfo\n(X\x02\x00\x00\x00..tR."
b"czoneinfo\nZoneInfo\n(X\x01\x00\x00\x00.tR."
b"czoneinfo\nZoneInfo\n(X\x00\x00\x00\x00tR."
b"czoneinfo\nZoneInfo\n(X\x0b\x00\x00\x00Europe//ParistR."
b"czoneinfo\nZoneInfo\n(X\x0d\x00\x00\x00./Europe/ParistR."
`
  .trim()
  .split("\n");

/** CPython's answer per case: [hex of the pickle, repr of the value or null when it refuses]. */
function cpython(cases: readonly string[]): [string, string | null][] {
  const script = `
import json, pickle, struct
def td(*parts):
    """timedelta(*parts) as REDUCE on the arguments (floats as BINFLOAT, ints as BININT)."""
    args = b"".join(b"G" + struct.pack(">d", x) if isinstance(x, float) else b"J" + struct.pack("<i", x) for x in parts)
    return b"cdatetime\\ntimedelta\\n(" + args + b"tR."
out = []
for data in [${cases.join(",\n")}]:
    try:
        out.append([data.hex(), repr(pickle.loads(data))])
    except Exception:
        out.append([data.hex(), None])
print(json.dumps(out))
`;
  return JSON.parse(runPython(["-c", script])) as [string, string | null][];
}

function ours(hex: string): string | null {
  try {
    return pyRepr(loads(fromHex(hex)));
  } catch (e) {
    assert.instance(e, UnpicklingError, `${hex}: ${(e as Error).message}`);
    return null;
  }
}

test("each case: both accept the same value, or both refuse", () => {
  const answers = cpython(CASES);
  const disagreements = answers.flatMap(([hex, expected], i) => {
    const got = ours(hex);
    return got === expected ? [] : [`${CASES[i]}\n  CPython: ${expected ?? "refuses"}\n  ours:    ${got ?? "refuses"}`];
  });
  assert.equal(disagreements, [], disagreements.join("\n"));
  // Both answers occur: the cases test acceptance and refusal alike.
  assert.ok(answers.some(([, r]) => r === null) && answers.some(([, r]) => r !== null));
});

function refusal(pickle: string): string {
  const [[hex, expected]] = cpython([pickle]) as [[string, string | null]];
  assert.ok(expected !== null, `CPython refuses ${pickle} too`);
  try {
    loads(fromHex(hex));
  } catch (e) {
    assert.instance(e, UnpicklingError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${pickle}`);
}

test("deliberate differences: refused with a reason where CPython accepts", () => {
  assert.match(refusal(String.raw`b"c__builtin__\nbytearray\n)R(K\x01K\x02e."`), /APPEND\/APPENDS on a bytearray is not supported/);
  assert.match(refusal(String.raw`b"c__builtin__\nbytearray\n)RK\x01a."`), /APPEND\/APPENDS on a bytearray is not supported/);
  assert.match(refusal(String.raw`b"c__builtin__\ncomplex\n(X\x03\x00\x00\x00\xd9\xa1jtR."`), /complex\(\) of non-ASCII text is not supported/);
  assert.match(refusal(String.raw`b"c_codecs\nencode\n(X\x03\x00\x00\x00\xe2\x82\xacU\x05asciiU\x0bnamereplacetR."`), /'namereplace' error handler is not supported/);
});

test("deliberate difference: a ZoneInfo key of valid form is accepted whether or not the zone exists", () => {
  const pickle = String.raw`b"czoneinfo\nZoneInfo\n(X\x0b\x00\x00\x00No/Such_KeytR."`;
  const [[hex, expected]] = cpython([pickle]) as [[string, string | null]];
  assert.is(expected, null, "CPython looks the zone up and refuses it");
  assert.is(ours(hex), "zoneinfo.ZoneInfo(key='No/Such_Key')");
});

test("an empty GLOBAL or INST line is refused in every mode, as CPython's bad_readline", () => {
  for (const text of ["c\n\n.", "cos\n\n.", "c\nsystem\n.", "(i\n\n.", "(ios\n\n.", "(i\nsystem\n."]) {
    const data = new Uint8Array(Buffer.from(text, "latin1"));
    const python = runPython([
      "-c",
      `import pickle,sys\ntry:\n pickle.loads(bytes.fromhex(sys.argv[1])); print("ok")\nexcept pickle.UnpicklingError as e: print(e)`,
      Buffer.from(data).toString("hex"),
    ]).trim();
    assert.is(python, "pickle data was truncated", text);
    for (const mode of ["strict", "opaque"] as const) {
      assert.throws(
        () => loads(data, { mode }),
        (e: unknown) => e instanceof UnpicklingError && /pickle data was truncated/.test(e.message),
        `${JSON.stringify(text)} ${mode}`,
      );
    }
  }
});

test.run();
