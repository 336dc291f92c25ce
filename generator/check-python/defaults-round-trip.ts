// The round trip: pickles Python made of classes built from their defaults are loaded through the codecs
// generate's emitter makes of the schemas already read (emitted in memory, nothing written: the same
// modules, left unformatted) and run by module-loader.ts. A failure is the loader's own error: the
// field path and the byte offset.
import { resolve } from "node:path";
import * as runtime from "../../runtime/index.node.ts";
import { emitModule } from "../emit/emit-module.ts";
import { fastClasses } from "../emit/fast-classes.ts";
import type { SchemaFileModel } from "../schema/model.ts";
import { ModuleLoader } from "./module-loader.ts";

export interface RoundTrip {
  module: string;
  qualname: string;
  /** The TypeScript class name the schema gives it, and its schema file (relative to the root). */
  name: string;
  file: string;
  /** The pickles, by protocol, as hex. */
  pickles: Record<string, string>;
}

export interface RoundTripFailure {
  trip: RoundTrip;
  protocol: string;
  error: string;
}

/** Where the in-memory generated modules are taken to be (relative to the root): their imports of the schemas resolve from there. */
const NOWHERE = ".typed-pickle-check";

/** Loads each pickle through its class's generated codec (`models`: the schema files as read, paths relative to `root`). */
export function loadDefaultPickles(root: string, models: readonly SchemaFileModel[], trips: readonly RoundTrip[]): RoundTripFailure[] {
  const outputOf = (schemaPath: string) => `${NOWHERE}/${schemaPath}`;
  const fast = fastClasses(models);
  const files = new Map(
    models.filter((m) => m.classes.length + m.enums.length > 0).map((m) => [resolve(root, outputOf(m.path)), emitModule(m, outputOf, { fast, importExtension: "ts" })]),
  );
  const loader = new ModuleLoader(files);
  const failures: RoundTripFailure[] = [];
  for (const trip of trips) {
    // Each class's codec is its generated module's `${name}Codec`, as emit-module.ts names it.
    let exports: Record<string, unknown>;
    try {
      exports = loader.load(resolve(root, outputOf(trip.file)));
    } catch (e) {
      throw new Error(`the codecs generated from ${trip.file} could not be run to load ${trip.module}.${trip.qualname}(): ${e instanceof Error ? e.message : String(e)}`);
    }
    const codec = exports[`${trip.name}Codec`] as runtime.NamedCodec<unknown> | undefined;
    if (!codec) throw new Error(`no generated codec ${trip.name}Codec for ${trip.module}.${trip.qualname}`);
    const { loads } = runtime.functionsFor(codec);
    for (const [protocol, hex] of Object.entries(trip.pickles)) {
      try {
        loads(Uint8Array.from(Buffer.from(hex, "hex")));
      } catch (e) {
        failures.push({ trip, protocol, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
    }
  }
  return failures;
}
