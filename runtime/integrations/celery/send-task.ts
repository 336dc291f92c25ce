// Sending a task: the message Celery's `send_task` would push, and the queue binding it declares.
import { hostname } from "node:os";
import type { PyValue } from "../../model/value.ts";
import type { RedisCommands } from "../redis/redis-client.ts";
import { pythonJson } from "./python-json.ts";
import { type BuiltTaskMessage, buildTaskMessage, KOMBU_SEP, type TaskMessageOptions } from "./task-message.ts";

export type SendTaskOptions = TaskMessageOptions;

/** Celery's anon_nodename: `gen<pid>@<host>`. */
function senderName(): string {
  return `gen${process.pid}@${hostname()}`;
}

/** The message for `name(*args, **kwargs)`, as sendTask would push it (value-model args: a JS number is a float, a bigint an int). */
export function taskMessage(name: string, args: PyValue, kwargs: PyValue, options: SendTaskOptions = {}): BuiltTaskMessage {
  return buildTaskMessage(name, args, kwargs, { ...options, origin: options.origin ?? senderName(), newId: () => crypto.randomUUID() });
}

/**
 * Pushes a built message as kombu's Redis transport does: the queue's binding (what Celery's publish
 * declares: `_kombu.binding.<queue>` ∋ `<queue>␆␖␆␖<queue>`) and LPUSH of the JSON envelope.
 */
export async function pushTaskMessage(redis: RedisCommands, message: BuiltTaskMessage): Promise<string> {
  const { queue } = message;
  await redis.send(["SADD", `_kombu.binding.${queue}`, `${queue}${KOMBU_SEP}${KOMBU_SEP}${queue}`]);
  await redis.send(["LPUSH", message.queueKey, pythonJson(message.envelope)]);
  return message.taskId;
}
