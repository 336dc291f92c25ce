// typed-pickle/redis: the Redis client interface the RQ, Django and Celery integrations talk through.
export {
  fromIoredis,
  fromNodeRedis,
  type IoredisLike,
  type NodeRedisLike,
  type RedisArgument,
  type RedisCommands,
  type RedisReply,
  replyPairs,
  replyText,
} from "./redis-client.ts";
