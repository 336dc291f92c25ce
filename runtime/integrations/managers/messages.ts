// The manager protocol's messages. A request is the tuple (ident, methodname, args, kwds); a reply is
// (kind, result) with kind '#RETURN', '#PROXY' ((exposed, token)), '#ERROR' (the exception),
// '#TRACEBACK' or '#UNSERIALIZABLE' (formatted text). Replies are read in strict mode with
// reply-globals.ts's allowlist: nothing the server names is called.
import { UnpicklingError } from "../../errors.ts";
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import { loads } from "../../reader/unpickler.ts";
import { type Codec, FromPy, isNamedCodec } from "../../typed/codec.ts";
import { dumps } from "../../writer/dump.ts";
import { type Argument, argumentValue } from "../typed-argument.ts";
import { ManagerProtocolError } from "./errors.ts";
import { exceptionError, refusedErrorReply, tracebackError } from "./remote-exception.ts";
import { replyRegistry } from "./reply-globals.ts";
import { type ManagerToken, tokenFrom } from "./token.ts";

/** Protocol 4: what Python 3.8–3.13's ForkingPickler writes by default; every 3.x server reads it. */
const REQUEST_PROTOCOL = 4;

/** An argument of a remote call: a Python value as the value model has it (int is bigint), or a typed one. */
export type CallArg = Argument;

/** The pickle of a request `(ident, methodname, args, kwds)`. ident is None for the server's own methods. */
export function encodeRequest(ident: string | null, method: string, args: readonly CallArg[], kwds: Readonly<Record<string, CallArg>>): Uint8Array {
  const argValues = args.map((arg, i) => argumentValue(arg, `${method}.args[${i}]`));
  const kwdValues = new Map<PyValue, PyValue>();
  for (const [name, arg] of Object.entries(kwds)) kwdValues.set(name, argumentValue(arg, `${method}.kwds.${name}`));
  return dumps(new PyTuple([ident, method, new PyTuple(argValues), kwdValues]), { protocol: REQUEST_PROTOCOL });
}

/** A reply that is not an error. */
export type Reply<T> = { kind: "#RETURN"; value: T } | { kind: "#PROXY"; exposed: readonly string[]; token: ManagerToken };

export interface ReplyOptions<T> {
  /** The result's codec: its classes join the allowlist and the value is converted by it. */
  result?: Codec<T> | undefined;
  /** With a result codec: refuse attributes the schema does not know (as loadsTyped's `strict`). */
  strict?: boolean | undefined;
}

/**
 * Reads a reply. #RETURN gives the value (converted by `options.result` when given), #PROXY the
 * exposed methods and token; #ERROR, #TRACEBACK and #UNSERIALIZABLE throw a RemoteError. A reply
 * the allowlist refuses throws the reader's UnpicklingError (the frame was read whole, so the
 * connection stays in step).
 */
export function decodeReply<T = PyValue>(data: Uint8Array, options: ReplyOptions<T> = {}): Reply<T> {
  const registry = replyRegistry(options.result);
  let reply: PyValue;
  try {
    reply = loads(data, { mode: "strict", globals: registry });
  } catch (e) {
    if (e instanceof UnpicklingError) throw refusedErrorReply(data, registry) ?? e;
    throw e;
  }
  if (!(reply instanceof PyTuple) || reply.items.length !== 2 || typeof reply.items[0] !== "string") {
    throw new ManagerProtocolError("a manager reply must be a (kind, result) tuple");
  }
  const [kind, result] = reply.items as [string, PyValue];
  switch (kind) {
    case "#RETURN":
      return { kind, value: options.result ? convert(options.result, result, options.strict ?? false) : (result as T) };
    case "#PROXY":
      return proxyReply(result);
    case "#ERROR":
      throw exceptionError(result);
    case "#TRACEBACK":
    case "#UNSERIALIZABLE":
      if (typeof result !== "string") throw new ManagerProtocolError(`a ${kind} reply must carry str, got ${typeof result}`);
      throw tracebackError(kind, result);
    default:
      throw new ManagerProtocolError(`unrecognized reply kind ${JSON.stringify(kind.slice(0, 40))}`);
  }
}

function proxyReply(result: PyValue): Reply<never> {
  if (!(result instanceof PyTuple) || result.items.length !== 2) throw new ManagerProtocolError("a #PROXY reply must carry (exposed, token)");
  const [exposed, token] = result.items;
  const names = exposed instanceof PyTuple ? exposed.items : Array.isArray(exposed) ? exposed : null;
  if (names === null || !names.every((n) => typeof n === "string")) throw new ManagerProtocolError("a #PROXY reply's exposed methods must be a tuple of str");
  return { kind: "#PROXY", exposed: names as string[], token: tokenFrom(token) };
}

function convert<T>(codec: Codec<T>, value: PyValue, strict: boolean): T {
  const ctx = new FromPy(isNamedCodec(codec) ? codec.global.name : "result", strict);
  const typedValue = codec.fromPy(value, ctx);
  ctx.runHooks();
  return typedValue;
}
