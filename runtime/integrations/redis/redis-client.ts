// The few Redis commands the integrations need, sent through whichever client the application
// already has. Pickles are binary, so every reply string comes back as bytes: the two common
// clients each need a different switch for that, which the adapters below hold in one place.

/** A Redis reply with every string as bytes: bulk and simple strings, integers, nil, arrays. */
export type RedisReply = Uint8Array | number | null | RedisReply[];

/** One raw command, e.g. `["HSET", key, field, value]`; strings are sent as UTF-8. */
export type RedisArgument = string | Uint8Array;

/** What the integrations call. Adapt a client with {@link fromIoredis} or {@link fromNodeRedis}, or implement it. */
export interface RedisCommands {
  send(args: readonly RedisArgument[]): Promise<RedisReply>;
}

const utf8 = new TextEncoder();

function normalize(reply: unknown): RedisReply {
  if (reply === null || reply === undefined) return null;
  if (reply instanceof Uint8Array) return reply;
  if (typeof reply === "string") return utf8.encode(reply);
  if (typeof reply === "number") return reply;
  if (typeof reply === "bigint") return Number(reply);
  if (Array.isArray(reply)) return reply.map(normalize);
  throw new TypeError(`unexpected Redis reply of type ${typeof reply}`);
}

type NodeBuffer = { from(data: ArrayBufferLike, offset: number, length: number): Uint8Array };

// Both clients run on Node and send only strings and Buffers as they are (ioredis would send a plain
// Uint8Array as "0,1,2"; node-redis refuses one), so bytes go out as Buffer views, without a copy.
function nodeBuffer(): NodeBuffer {
  const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (buffer === undefined) throw new TypeError("the Redis client adapters need Node's Buffer (the clients run on Node)");
  return buffer;
}

function asSent(args: readonly RedisArgument[], buffer: NodeBuffer): (string | Uint8Array)[] {
  return args.map((arg) => (typeof arg === "string" ? arg : buffer.from(arg.buffer, arg.byteOffset, arg.byteLength)));
}

/** The subset of ioredis's client used: `callBuffer` returns bulk strings as Buffers. */
export interface IoredisLike {
  // biome-ignore lint/suspicious/noExplicitAny: ioredis declares overloads with callbacks; any accepts them all
  callBuffer(command: string, ...args: any[]): Promise<unknown>;
}

/** Adapts an ioredis client (`new Redis(...)`). */
export function fromIoredis(client: IoredisLike): RedisCommands {
  const buffer = nodeBuffer();
  return {
    async send(args) {
      const [command, ...rest] = args;
      if (command === undefined) throw new TypeError("a Redis command needs a name");
      const name = typeof command === "string" ? command : new TextDecoder().decode(command);
      return normalize(await client.callBuffer(name, ...asSent(rest, buffer)));
    },
  };
}

/** The subset of node-redis's (v5) client used: `sendCommand` with a type mapping. */
export interface NodeRedisLike {
  // biome-ignore lint/suspicious/noExplicitAny: node-redis's own argument and option types are richer than what is passed
  sendCommand(args: any[], options?: any): Promise<unknown>;
}

// RESP's type byte for bulk strings ('$'); node-redis keys its type mappings by it.
const RESP_BLOB_STRING = 0x24;

/** Adapts a node-redis v5 client (`createClient(...)`, connected). Bulk strings are asked for as Buffers. */
export function fromNodeRedis(client: NodeRedisLike): RedisCommands {
  const buffer = nodeBuffer();
  return {
    async send(args) {
      return normalize(await client.sendCommand(asSent(args, buffer), { typeMapping: { [RESP_BLOB_STRING]: buffer } }));
    },
  };
}

/** A bulk-string reply as text (UTF-8), or null for nil. Anything else is a protocol surprise. */
export function replyText(reply: RedisReply): string | null {
  if (reply === null) return null;
  if (reply instanceof Uint8Array) return new TextDecoder("utf-8", { fatal: true }).decode(reply);
  if (typeof reply === "number") return String(reply);
  throw new TypeError("expected a Redis string reply, got an array");
}

/** A flat field/value array reply (HGETALL, XRANGE entries) as a Map of field name → bytes. */
export function replyPairs(reply: RedisReply): Map<string, Uint8Array> {
  const pairs = new Map<string, Uint8Array>();
  if (reply === null) return pairs;
  if (!Array.isArray(reply) || reply.length % 2 !== 0) throw new TypeError("expected a Redis field/value array reply");
  for (let i = 0; i < reply.length; i += 2) {
    const value = reply[i + 1];
    if (!(value instanceof Uint8Array)) throw new TypeError("expected a Redis string value in a field/value reply");
    pairs.set(replyText(reply[i] as RedisReply) ?? "", value);
  }
  return pairs;
}
