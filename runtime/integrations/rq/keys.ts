// The Redis keys RQ uses (rq/job.py, rq/queue.py, rq/results.py), in one place.

/** The set of every queue's key (`Queue.redis_queues_keys`). */
export const QUEUES_KEY = "rq:queues";

/** A queue's list of job ids. */
export const queueKey = (queue: string) => `rq:queue:${queue}`;

/** A job's hash. */
export const jobKey = (id: string) => `rq:job:${id}`;

/** The sets RQ keeps beside a job for dependencies: expired with it when it has a ttl. */
export const dependentsKey = (id: string) => `rq:job:${id}:dependents`;
export const dependenciesKey = (id: string) => `rq:job:${id}:dependencies`;

/** A job's results stream (RQ ≥ 1.12). */
export const resultsKey = (id: string) => `rq:results:${id}`;
