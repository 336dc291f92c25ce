// Memory per input byte: what a pickle makes (a 1-byte EMPTY_DICT is a ~190-byte Map) is charged
// against the allocation budget, so any input stays within 64 × its size + 16 MiB of heap.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { UnpicklingError, loads } from "../../runtime/index.ts";

const N = 1_000_000;
const bytes = (...parts: string[]) => new Uint8Array(Buffer.from(parts.join(""), "latin1"));

function heapNow(): number {
  global.gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const floods: Record<string, Uint8Array> = {
  "1M empty dicts": bytes("(", "}".repeat(N), "l."),
  "1M empty sets": bytes("\x80\x04(", "\x8f".repeat(N), "l."),
  "1M empty lists": bytes("(", "]".repeat(N), "l."),
  "500k empty-tuple TUPLEs": bytes("(", "(t".repeat(N / 2), "l."),
  "333k one-item tuples": bytes("(", "K\x01\x85".repeat(N / 3), "l."),
  "200k one-item dicts (a None key: a key index each)": bytes("(", "}(NNu".repeat(N / 5), "l."),
  "1M NONEs in a tuple": bytes("(", "N".repeat(N), "t."),
  "1M MEMOIZEs": bytes("\x80\x04N", "\x94".repeat(N), "."),
  "500k BINGETs of a 1000-item list": bytes("\x80\x04(]\x94(", "K\x01".repeat(1000), "e", "h\x00".repeat((N - 2100) / 2), "l."),
};

const test = suite("memory per input byte");

for (const [name, data] of Object.entries(floods)) {
  test(`${name}: read or refused within 64 × the input + 16 MiB`, () => {
    const budget = 64 * data.length + (16 << 20);
    const before = heapNow();
    // biome-ignore lint/correctness/noUnusedVariables: written, never read, on purpose: it keeps the result reachable while the heap is measured.
    let value: unknown;
    try {
      value = loads(data);
    } catch (e) {
      assert.ok(e instanceof UnpicklingError && /allocation exceeds 64× the input size \(limits.allocationFactor\)/.test(e.message), String(e));
    }
    const grew = heapNow() - before;
    assert.ok(grew < budget, `${name}: ${(grew / 2 ** 20).toFixed(0)} MiB kept of a ${(budget / 2 ** 20).toFixed(0)} MiB budget`);
    value = undefined;
  });
}

test("the same pickles read in full with a larger allocationFactor", () => {
  const dicts = loads(floods["1M empty dicts"]!, { limits: { allocationFactor: 512 } }) as unknown[];
  assert.is(dicts.length, N);
  assert.ok(dicts.every((d) => d instanceof Map && d.size === 0));
});

test.run();
