// Every pickle CPython's pickle.dumps wrote for its own test suite, read and written again here at
// the same protocol, gives CPython's bytes back — for all values of the standard value model.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dumps, loads } from "../../runtime/index.ts";
import { corpus } from "../support/corpus.ts";
import { fromHex, toHex } from "../support/python.ts";

const test = suite("re-encoding CPython's own pickles");

test("standard values re-encode byte for byte at their protocol", () => {
  const cases = corpus().filter((c) => c.ok && c.written_at !== undefined && c.strict !== null);
  assert.ok(cases.length > 4000, `only ${cases.length} cases`);
  const protocols = new Set(cases.map((c) => c.written_at));
  assert.equal([...protocols].sort(), [0, 1, 2, 3, 4, 5]);
  const failures: string[] = [];
  for (const c of cases) {
    const ours = toHex(dumps(loads(fromHex(c.hex), { limits: { maxIntDigits: 1e6 } }), { protocol: c.written_at! }));
    if (ours !== c.hex) failures.push(`${c.source} protocol ${c.written_at}:\n  ours:   ${ours.slice(0, 120)}\n  python: ${c.hex.slice(0, 120)}`);
  }
  assert.equal(failures.length, 0, `${failures.length} differ:\n${failures.slice(0, 8).join("\n")}`);
});

test.run();
