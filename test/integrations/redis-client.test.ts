// The two client adapters against a real redis-server: binary values come back byte for byte,
// integers as numbers, nil as null, arrays as arrays, and an error reply rejects.
import { Redis } from "ioredis";
import { createClient } from "redis";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { fromIoredis, fromNodeRedis, type RedisCommands, replyPairs, replyText } from "../../runtime/integrations/redis/redis-client.ts";
import { redisPort } from "../support/redis-server.ts";

const test = suite("integrations/redis-client");

// Every byte value, including ones that are not UTF-8, must survive the round trip.
const binary = new Uint8Array(256).map((_, i) => i);

async function exercise(redis: RedisCommands, key: string) {
  assert.equal(await redis.send(["DEL", key, `${key}:h`]), 0);
  assert.equal(replyText(await redis.send(["SET", key, binary])), "OK");
  assert.equal(Array.from((await redis.send(["GET", key])) as Uint8Array), Array.from(binary));
  assert.is(await redis.send(["GET", `${key}:missing`]), null);
  assert.is(await redis.send(["HSET", `${key}:h`, "a", "1", "b", binary]), 2);
  const pairs = replyPairs(await redis.send(["HGETALL", `${key}:h`]));
  assert.equal([...pairs.keys()].sort(), ["a", "b"]);
  assert.equal(Array.from(pairs.get("b") ?? []), Array.from(binary));
  assert.equal(replyPairs(await redis.send(["HGETALL", `${key}:none`])).size, 0);
  let rejected = false;
  try {
    await redis.send(["HGETALL", key]); // a string, not a hash: WRONGTYPE
  } catch {
    rejected = true;
  }
  assert.ok(rejected, "an error reply rejects");
  await redis.send(["DEL", key, `${key}:h`]);
}

test("ioredis", async () => {
  const client = new Redis({ port: await redisPort(), host: "127.0.0.1", lazyConnect: true });
  await client.connect();
  try {
    await exercise(fromIoredis(client), "typed-pickle:test:ioredis");
  } finally {
    client.disconnect();
  }
});

test("node-redis", async () => {
  const client = createClient({ socket: { port: await redisPort(), host: "127.0.0.1" } });
  await client.connect();
  try {
    await exercise(fromNodeRedis(client), "typed-pickle:test:node-redis");
  } finally {
    await client.close();
  }
});

test.run();
