// A field codec may bring globals of its own to a typed load's allowlist (Codec.globals): a library
// type (numpy arrays, here fractions.Fraction) is pickled through its own reconstruction function,
// which no schema class names. Allowed wherever the codec is reachable from the root, and nowhere else.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { type Codec, type GlobalHandler, PyGlobal, PyObject, T, UnpicklingError, classCodec, loadsTyped } from "typed-pickle";
import { fromHex, runPython } from "../support/python.ts";
import { refusal } from "../support/refusal.ts";

const test = suite("field codecs' own globals");

const FRACTION = new PyGlobal("fractions", "Fraction");

/** fractions.Fraction (3.11's __reduce__: (Fraction, (numerator, denominator))) ↔ a [numerator, denominator] pair. */
const fractionHandler: GlobalHandler = {
  call: (args) => new PyObject(FRACTION, args, null, "reduce"),
};
const fraction: Codec<[bigint, bigint]> = {
  describe: "fractions.Fraction",
  globals: new Map([["fractions.Fraction", fractionHandler]]),
  toPy: ([n, d]) => new PyObject(FRACTION, [n, d], null, "reduce"),
  fromPy(v, ctx) {
    const ok = v instanceof PyObject && v.callable instanceof PyGlobal && v.callable.qualifiedName === "fractions.Fraction";
    const [n, d] = ok ? v.args : [];
    if (typeof n !== "bigint" || typeof d !== "bigint") return ctx.expected("fractions.Fraction", v);
    return [n, d];
  },
  parts: () => [],
};

class Ratio {
  label!: string;
  value!: [bigint, bigint];
}
const RatioCodec = classCodec(Ratio, { module: "app", qualname: "Ratio", state: "dict", fields: { label: T.str, value: fraction } });

const pickled = (python: string) =>
  fromHex(
    runPython([
      "-c",
      `import pickle, sys, types, fractions\nsys.modules['app'] = app = types.ModuleType('app')\nclass Ratio: pass\nRatio.__module__ = 'app'\napp.Ratio = Ratio\n${python}\nprint(pickle.dumps(value, protocol=4).hex())`,
    ]).trim(),
  );

test("a class whose field brings fractions.Fraction loads it; the codec alone does too", () => {
  const data = pickled("value = Ratio(); value.label = 'third'; value.value = fractions.Fraction(1, 3)");
  const ratio = loadsTyped(RatioCodec, data);
  assert.ok(ratio instanceof Ratio);
  assert.equal([ratio.label, ratio.value], ["third", [1n, 3n]]);
  assert.equal(loadsTyped(T.list(fraction), pickled("value = [fractions.Fraction(-2, 5), fractions.Fraction(7)]")), [
    [-2n, 5n],
    [7n, 1n],
  ]);
});

test("where no codec brings it, fractions.Fraction is refused before anything is built", () => {
  const data = pickled("value = fractions.Fraction(1, 3)");
  const e = refusal(() => loadsTyped(T.any, data), UnpicklingError);
  assert.match(e.message, /fractions\.Fraction/);
  assert.match(e.message, /not allowed|allowlist|forbidden|refused/i);
});

test.run();
