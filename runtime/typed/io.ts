// Typed dumps/loads: a codec plus the generic reader and writer. Loading reads in strict mode with an
// allowlist of exactly the classes the codec names (and the standard reductions), so a pickle can
// only build what the schema describes.
import { codecFunctions } from "./codec-functions.ts";
import { PicklingError, UnpicklingError } from "../errors.ts";
import { FilePathNeedsNodeError } from "../file-paths.ts";
import { concatBytes } from "../host-bytes.ts";
import { PyObject } from "../model/objects.ts";
import type { PyValue } from "../model/value.ts";
import type { GlobalHandler, GlobalRegistry } from "../reader/globals.ts";
import { type ReadLimits, withLimits } from "../reader/limits.ts";
import { STANDARD_GLOBALS } from "../reader/standard-globals.ts";
import { type ByteSource, loadFrom } from "../reader/stream.ts";
import { type ReadOptions, loads } from "../reader/unpickler.ts";
import { dump, dumps, type WritableLike } from "../writer/dump.ts";
import { DEFAULT_PROTOCOL, Pickler, type WriteOptions } from "../writer/pickler.ts";
import { stringPolicy } from "../writer/direct-writer.ts";
import { ExactReader } from "./exact-reader.ts";
import { type Codec, FromPy, isNamedCodec, type NamedCodec, ToPy } from "./codec.ts";
import { isMiss, isStackOverflow } from "./fast-path.ts";
import { readWithPositions } from "./positions.ts";

export interface TypedLoadOptions extends Omit<ReadOptions, "mode" | "globals"> {
  /** Refuse attributes the schema does not know, instead of keeping them. */
  strict?: boolean | undefined;
}

export type TypedDumpOptions = WriteOptions;

const registries = new WeakMap<Codec<unknown>, GlobalRegistry>();

function handlerFor(codec: NamedCodec<unknown>): GlobalHandler {
  const global = codec.global;
  const handler: GlobalHandler = {
    construct: (args, kwargs) => new PyObject(global, args, kwargs as Map<PyValue, PyValue> | null, kwargs ? "newobj_ex" : "newobj"),
    call: (args) => new PyObject(global, args, null, "reduce"),
  };
  const members = codec.members;
  // Only an enum has members; without `attribute` the reader refuses any getattr on the class.
  if (members) {
    handler.attribute = (name) => {
      const value = members.get(name);
      if (value === undefined) return undefined;
      return new PyObject(global, [typeof value === "number" ? BigInt(value) : value], null, "reduce");
    };
  }
  return handler;
}

/** The allowlist for a codec: the standard reductions plus every class and enum reachable from it. */
export function registryFor(codec: Codec<unknown>): GlobalRegistry {
  const cached = registries.get(codec);
  if (cached) return cached;
  const registry = new Map(STANDARD_GLOBALS);
  const seen = new Set<Codec<unknown>>();
  const stack: Codec<unknown>[] = [codec];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    if (isNamedCodec(c)) registry.set(c.global.qualifiedName, handlerFor(c));
    if (c.globals) for (const [name, handler] of c.globals) registry.set(name, handler);
    stack.push(...c.parts());
  }
  registries.set(codec, registry);
  return registry;
}

function rootName(codec: Codec<unknown>): string {
  return isNamedCodec(codec) ? codec.global.name : "$";
}

/** The typed value of a pickle. */
export function loadsTyped<T>(codec: Codec<T>, data: Uint8Array, options: TypedLoadOptions = {}): T {
  if (codec.read && onlyStrict(options)) {
    const fast = readExact(codec.read, data);
    if (fast !== MISSED) {
      for (const hook of fast.hooks) hook();
      return fast.value;
    }
  }
  const value = loads(data, readOptions(codec, options));
  return fromValue(codec, value, options, () => data);
}

const MISSED = Symbol("missed");

/**
 * The fast path: the exact layout CPython writes, read straight into typed values. On a miss (a
 * difference from that layout, data that ends or does not decode, a value nested too deeply for
 * it) the general reader reads the pickle and words any error. Any other error is a bug, and
 * surfaces.
 */
function readExact<T>(read: (r: ExactReader) => T, data: Uint8Array): { value: T; hooks: readonly (() => void)[] } | typeof MISSED {
  try {
    const r = new ExactReader(data);
    r.begin();
    const value = read(r);
    return { value, hooks: r.finish() };
  } catch (e) {
    if (isMiss(e)) return MISSED;
    throw e;
  }
}

/** Options the fast paths honour: none but `strict` (which they meet by missing on unknown fields); an option set to undefined is not set. */
export function onlyStrict(options: object): boolean {
  for (const key in options) if (key !== "strict" && (options as Record<string, unknown>)[key] !== undefined) return false;
  return true;
}

/**
 * The reader's options for a typed load: strict, with the codec's allowlist. The generic depth walk
 * is skipped unless a limit was asked for: the typed conversion descends the value itself, and a
 * value too deep for it is refused below.
 */
function readOptions(codec: Codec<unknown>, options: TypedLoadOptions): ReadOptions {
  const limits = withLimits<Partial<ReadLimits>>({ maxDepth: Infinity }, options.limits);
  return { ...options, limits, mode: "strict", globals: registryFor(codec) };
}

/**
 * The typed value of what the general reader read. A conversion error is worded a second time
 * with the pickle at hand (`input`): read again, noting where each object was made, and converted
 * again, it names the offset and opcode of the object it is about. Nothing is noted on success.
 */
function fromValue<T>(codec: Codec<T>, value: PyValue, options: TypedLoadOptions, input: () => Uint8Array): T {
  const ctx = new FromPy(rootName(codec), options.strict ?? false);
  let result: T;
  try {
    result = convert(codec, value, ctx);
  } catch (e) {
    if (ctx.subject !== null && e instanceof UnpicklingError) throw placed(codec, input(), options, e);
    throw e;
  }
  ctx.runHooks();
  return result;
}

const TOO_DEEP = "the value is nested too deeply for a typed codec";

/** A conversion that ran out of stack: the re-run below runs out a few steps sooner or later. */
const tooDeep = (e: UnpicklingError) => e.reason.endsWith(TOO_DEEP);

function convert<T>(codec: Codec<T>, value: PyValue, ctx: FromPy): T {
  try {
    return codec.fromPy(value, ctx);
  } catch (e) {
    if (isStackOverflow(e)) ctx.fail(TOO_DEEP);
    throw e;
  }
}

/** The conversion error `error`, as the same conversion gives it with the objects' positions known. */
function placed(codec: Codec<unknown>, data: Uint8Array, options: TypedLoadOptions, error: UnpicklingError): UnpicklingError {
  try {
    const { value, positionOf } = readWithPositions(data, readOptions(codec, options));
    convert(codec, value, new FromPy(rootName(codec), options.strict ?? false, positionOf));
  } catch (e) {
    if (e instanceof UnpicklingError && (e.reason === error.reason || (tooDeep(e) && tooDeep(error)))) return e;
  }
  return error; // not the same run twice (a stream's bytes changed under us): as it was
}

/** The pickle of a typed value. */
export function dumpsTyped<T>(codec: Codec<T>, value: T, options: TypedDumpOptions = {}): Uint8Array {
  const fast = writeDirect(codec, value, options);
  return fast !== MISSED ? fast : dumps(toValue(codec, value, options), options);
}

/**
 * The fast path: the value written straight to the pickler, when the codec has a direct writer and
 * no option but the protocol (2 or higher) is asked for. On a miss (a value it does not handle, or
 * one the general writer refuses and words) the general writer writes the value. Any other error
 * surfaces.
 */
function writeDirect<T>(codec: Codec<T>, value: T, options: TypedDumpOptions): Uint8Array | typeof MISSED {
  if (!codec.write || !onlyDirectOptions(options)) return MISSED;
  try {
    const pickler = new Pickler(options);
    pickler.beginDirect();
    codec.write(value, pickler);
    pickler.end();
    return pickler.out.result();
  } catch (e) {
    if (isMiss(e)) return MISSED;
    throw e;
  }
}

/** The fast path writes with no option but the protocol (2 or higher) and the strings policy. */
function onlyDirectOptions(options: TypedDumpOptions): boolean {
  for (const key in options) if (key !== "protocol" && key !== "strings" && (options as Record<string, unknown>)[key] !== undefined) return false;
  return (options.protocol ?? DEFAULT_PROTOCOL) >= 2;
}

function toValue<T>(codec: Codec<T>, value: T, options: TypedDumpOptions): PyValue {
  // With persistentId, strs stay plain: a FreshStr is a value the pickler makes, never offered to it.
  const fresh = stringPolicy(options) === "fresh" && options.persistentId === undefined;
  try {
    return codec.toPy(value, new ToPy(rootName(codec), fresh));
  } catch (e) {
    if (isStackOverflow(e)) throw new PicklingError("the value is nested too deeply for a typed codec");
    throw e;
  }
}

/**
 * A typed value as a whole pickle or as the value model, whichever writing it takes: the fast
 * writer's bytes when it can make them (they are smaller than the value model the general writer
 * would first build), else the value for the general writer to stream frame by frame.
 */
export function typedOutput<T>(codec: Codec<T>, value: T, options: TypedDumpOptions): { bytes: Uint8Array } | { value: PyValue } {
  const fast = writeDirect(codec, value, options);
  return fast !== MISSED ? { bytes: fast } : { value: toValue(codec, value, options) };
}

/** Writes a typed value to a stream (under Node, also to a file path, atomically). */
export async function dumpTyped<T>(codec: Codec<T>, value: T, target: string | WritableLike, options: TypedDumpOptions = {}): Promise<void> {
  if (typeof target === "string") throw new FilePathNeedsNodeError("dumpTyped", target);
  const output = typedOutput(codec, value, options);
  if ("value" in output) return dump(output.value, target, options);
  if (!target.write(output.bytes)) await new Promise<void>((resolve) => target.once("drain", resolve));
}

/** Reads the first pickle of a stream (under Node, also of a file given by path) as a typed value. */
export async function loadTyped<T>(codec: Codec<T>, source: string | ByteSource, options: TypedLoadOptions = {}): Promise<T> {
  if (typeof source === "string") throw new FilePathNeedsNodeError("loadTyped", source);
  // The chunks read are kept until the value is converted: a conversion error is worded with them.
  const kept: Chunk[] = [];
  const value = await loadFrom(keeping(source, kept), readOptions(codec, options));
  return fromValue(codec, value, options, () => concatBytes(kept.map(bytesOf)));
}

type Chunk = Uint8Array | ArrayBufferView | ArrayBuffer;

async function* keeping(chunks: AsyncIterable<Chunk>, kept: Chunk[]): AsyncGenerator<Chunk> {
  for await (const chunk of chunks) {
    kept.push(chunk);
    yield chunk;
  }
}

/** A chunk's bytes (the stream reader took it, so it is bytes of some kind). */
function bytesOf(chunk: Chunk): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return new Uint8Array(chunk);
}

/** dumpsX / loadsX / dumpX / loadX for a codec (generated modules declare theirs with it). */
export const functionsFor = codecFunctions({ dumpsTyped, loadsTyped, dumpTyped, loadTyped });
