// Reading a Celery protocol-2 task message (the JSON envelope kombu's Redis transport pushes): the
// headers as they are, the base64 pickled body `(args, kwargs, embed)` read strictly — through
// codecs when given, else with the standard allowlist — so a message can name nothing that is called.
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import { any, type Codec, tuple } from "../../typed/codec.ts";
import { loadsTyped, type TypedLoadOptions } from "../../typed/io.ts";
import { CeleryFormatError } from "./errors.ts";
import type { JsonValue } from "./python-json.ts";
import { PICKLE_CONTENT_TYPE } from "./task-message.ts";

export interface TaskMessage<A = PyValue, K = PyValue> {
  /** The task name (`headers.task`) and id (`headers.id`). */
  task: string;
  id: string;
  args: A;
  kwargs: K;
  /** callbacks, errbacks, chain, chord (the canvas; not interpreted). */
  embed: PyValue;
  headers: { [key: string]: JsonValue };
  properties: { [key: string]: JsonValue };
}

export interface ParseOptions<A, K> extends TypedLoadOptions {
  /** The arguments' type (a tuple codec, e.g. `T.tuple(T.int, T.int)`); any standard value when absent. */
  args?: Codec<A> | undefined;
  /** The keyword arguments' type (a dict codec, e.g. `T.record(T.str)`). */
  kwargs?: Codec<K> | undefined;
}

function isObject(v: unknown): v is { [key: string]: JsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function fromBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new CeleryFormatError("the message body is not valid base64");
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const bodyCodecs = new WeakMap<Codec<unknown>, WeakMap<Codec<unknown>, Codec<unknown>>>();

function bodyCodec<A, K>(args: Codec<A>, kwargs: Codec<K>): Codec<[A, K, PyValue]> {
  let byKwargs = bodyCodecs.get(args);
  if (byKwargs === undefined) bodyCodecs.set(args, (byKwargs = new WeakMap()));
  let codec = byKwargs.get(kwargs);
  if (codec === undefined) byKwargs.set(kwargs, (codec = tuple<[A, K, PyValue]>(args, kwargs, any)));
  return codec as Codec<[A, K, PyValue]>;
}

/** A task message from its JSON text (bytes as LRANGE/BRPOP return them, or a string). */
export function parseTaskMessage<A = PyValue, K = PyValue>(message: Uint8Array | string, options: ParseOptions<A, K> = {}): TaskMessage<A, K> {
  let envelope: unknown;
  try {
    envelope = JSON.parse(typeof message === "string" ? message : new TextDecoder("utf-8", { fatal: true }).decode(message));
  } catch (e) {
    throw new CeleryFormatError(`not a Celery message: the envelope is not JSON (${(e as Error).message})`);
  }
  if (!isObject(envelope)) throw new CeleryFormatError("not a Celery message: the envelope is not a JSON object");
  const { headers, properties, body } = envelope;
  if (!isObject(headers) || typeof headers.task !== "string" || typeof headers.id !== "string") {
    throw new CeleryFormatError("not a Celery protocol 2 message: headers.task and headers.id must be strings (protocol 1 keeps them in the body)");
  }
  if (!isObject(properties)) throw new CeleryFormatError("the message has no properties object");
  const contentType = envelope["content-type"];
  if (contentType !== PICKLE_CONTENT_TYPE)
    throw new CeleryFormatError(`the body's content type is ${JSON.stringify(contentType)}; only ${PICKLE_CONTENT_TYPE} (the pickle serializer) is read`);
  if (properties.body_encoding !== "base64") throw new CeleryFormatError(`the body encoding is ${JSON.stringify(properties.body_encoding)}, not base64 (kombu's Redis transport)`);
  if (typeof body !== "string") throw new CeleryFormatError("the message body is not a string");
  const { args: argsCodec, kwargs: kwargsCodec, ...loadOptions } = options;
  const bytes = fromBase64(body);
  const [args, kwargs, embed] = loadsTyped(bodyCodec((argsCodec ?? any) as Codec<A>, (kwargsCodec ?? any) as Codec<K>), bytes, loadOptions);
  // Typed parts were checked by their codecs; untyped ones are checked for the shape Celery calls with.
  if (argsCodec === undefined && !((args as unknown) instanceof PyTuple || Array.isArray(args))) throw new CeleryFormatError("the body's args are not a list or tuple");
  if (kwargsCodec === undefined && !((kwargs as unknown) instanceof Map)) throw new CeleryFormatError("the body's kwargs are not a dict");
  return { task: headers.task, id: headers.id, args, kwargs, embed, headers, properties };
}
