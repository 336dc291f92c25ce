// Hostile input on every typed entry point — generated loadsX, loadX from a file and from a stream,
// loadsTyped, loadTyped — gets a PickleError subclass, never a raw JS error: truncations and mutations
// of the pickles CPython writes for the python/myapp classes, at every protocol.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { PickleError, loadTyped, loadsTyped, type Codec, type TypedLoadOptions } from "typed-pickle";
import { SAMPLE_CODECS } from "../../examples/sample-codecs.ts";
import * as catalog from "../../generated/catalog.ts";
import * as connection from "../../generated/connection.ts";
import * as user from "../../generated/user.ts";
import { fromHex, runPython } from "../support/python.ts";

const samples: Record<string, { class: string; pickles: (string | null)[] }> = JSON.parse(runPython(["schema_samples.py", "dump"]));
const seeds = Object.values(samples).flatMap((s) => s.pickles.flatMap((hex) => (hex === null ? [] : [{ cls: s.class, bytes: fromHex(hex) }])));

/** The generated loadsX / loadX of a sample class (a list of users has none: loadsTyped). */
const generated: Record<string, { loads: (b: Uint8Array, o?: TypedLoadOptions) => unknown; load: (s: string | AsyncIterable<Uint8Array>) => Promise<unknown> }> = {};
for (const module of [catalog, connection, user] as Record<string, unknown>[]) {
  for (const [name, f] of Object.entries(module)) {
    const cls = name.startsWith("loads") ? name.slice(5) : null;
    if (cls && typeof f === "function") generated[cls] = { loads: f as never, load: module[`load${cls}`] as never };
  }
}

let seed = 20261202;
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

/** A truncation, 1–3 changed bytes, an inserted or deleted byte, or a repeated slice. */
function mutate(original: Uint8Array): Uint8Array {
  const bytes = original.slice();
  switch (rand(5)) {
    case 0:
      return bytes.slice(0, rand(bytes.length));
    case 1:
      for (let m = 1 + rand(3); m > 0; m--) bytes[rand(bytes.length)] = rand(256);
      return bytes;
    case 2: {
      const at = rand(bytes.length);
      return Buffer.concat([bytes.subarray(0, at), Uint8Array.of(rand(256)), bytes.subarray(at)]);
    }
    case 3: {
      const at = rand(bytes.length);
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
    }
    default: {
      const a = rand(bytes.length);
      const b = a + rand(Math.min(40, bytes.length - a) + 1);
      return Buffer.concat([bytes.subarray(0, b), bytes.subarray(a, b), bytes.subarray(b)]);
    }
  }
}

/** The error `f` threw or rejected with that is not a PickleError (undefined when there is none). */
async function rawError(f: () => unknown): Promise<unknown> {
  try {
    await f();
  } catch (e) {
    return e instanceof PickleError ? undefined : e;
  }
  return undefined;
}

const dir = mkdtempSync(join(tmpdir(), "typed-pickle-hostile-"));

const test = suite("hostile input on the typed entry points");

test("loadsX and loadsTyped: only PickleErrors", async () => {
  const raw: string[] = [];
  for (let k = 0; k < 3000; k++) {
    const { cls, bytes: original } = seeds[k % seeds.length]!;
    const bytes = mutate(original);
    const codec = SAMPLE_CODECS[cls] as Codec<unknown>;
    const entry = generated[cls];
    for (const [what, f] of [
      ["loadsTyped", () => loadsTyped(codec, bytes)],
      ["loadsTyped strict", () => loadsTyped(codec, bytes, { strict: true })],
      ...(entry ? ([[`loads${cls}`, () => entry.loads(bytes)]] as const) : []),
    ] as const) {
      const e = await rawError(f);
      if (e !== undefined) raw.push(`${what} case ${k}: ${String(e)}`);
    }
  }
  assert.equal(raw, [], raw.slice(0, 5).join("\n"));
});

test("loadX and loadTyped from a file path and from a stream: only PickleErrors", async () => {
  const raw: string[] = [];
  for (let k = 0; k < 300; k++) {
    const { cls, bytes: original } = seeds[k % seeds.length]!;
    const bytes = mutate(original);
    const path = join(dir, `case${k % 10}.pkl`);
    writeFileSync(path, bytes);
    const codec = SAMPLE_CODECS[cls] as Codec<unknown>;
    const entry = generated[cls];
    const chunks = () => Readable.from([bytes.subarray(0, 7), bytes.subarray(7)]);
    for (const [what, f] of [
      ["loadTyped(path)", () => loadTyped(codec, path)],
      ["loadTyped(path, streamed)", () => loadTyped(codec, path, { limits: {} })],
      ["loadTyped(stream)", () => loadTyped(codec, chunks())],
      ...(entry
        ? ([
            [`load${cls}(path)`, () => entry.load(path)],
            [`load${cls}(stream)`, () => entry.load(chunks())],
          ] as const)
        : []),
    ] as const) {
      const e = await rawError(f);
      if (e !== undefined) raw.push(`${what} case ${k}: ${String(e)}`);
    }
  }
  assert.equal(raw, [], raw.slice(0, 5).join("\n"));
});

test.run();
