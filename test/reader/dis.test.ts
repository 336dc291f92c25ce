// `dis` prints exactly what pickletools.dis prints, for every pickle of CPython's test corpus.
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { dis, DisError } from "../../runtime/inspect/dis.ts";
import { corpus } from "../support/corpus.ts";
import { fromHex } from "../support/python.ts";

const cases = corpus().filter((c) => c.ok);
const test = suite("dis");

test("matches pickletools.dis on every valid corpus pickle", () => {
  let compared = 0;
  const failures: string[] = [];
  for (const c of cases) {
    const data = fromHex(c.hex);
    if (c.dis === null || c.dis === undefined) {
      // pickletools refuses it (a sanity check fails): so must we.
      try {
        dis(data);
        failures.push(`${c.source} ${c.hex.slice(0, 60)}: pickletools refuses, we printed a listing`);
      } catch (e) {
        if (!(e instanceof DisError)) failures.push(`${c.source}: ${(e as Error).message}`);
      }
      continue;
    }
    compared++;
    try {
      const ours = dis(data).lines.join("\n") + "\n";
      if (ours !== c.dis) {
        const a = ours.split("\n");
        const b = c.dis.split("\n");
        const i = a.findIndex((line, k) => line !== b[k]);
        failures.push(`${c.source} ${c.hex.slice(0, 60)} line ${i}:\n  ours:   ${a[i]}\n  python: ${b[i]}`);
      }
    } catch (e) {
      failures.push(`${c.source} ${c.hex.slice(0, 60)}: ${(e as Error).message}`);
    }
  }
  assert.ok(compared > 5000, `only ${compared} compared`);
  assert.equal(failures.length, 0, `${failures.length} differ:\n${failures.slice(0, 10).join("\n")}`);
});

test.run();
