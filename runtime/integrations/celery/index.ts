// typed-pickle/celery: Celery task messages (protocol 2, pickle serializer) through kombu's Redis
// transport, and results from Celery's Redis result backend. Every value read is read strictly:
// through codecs or the standard allowlist, and a failure's exception as data.
export { CeleryFormatError, TaskFailedError, TaskTimeoutError } from "./errors.ts";
export { PythonException } from "../python-exception.ts";
export { pythonJson, type JsonValue } from "./python-json.ts";
export { buildTaskMessage, queueKeyFor, type BuiltTaskMessage, type TaskEnvelope, type TaskMessageOptions, DEFAULT_QUEUE, PICKLE_CONTENT_TYPE } from "./task-message.ts";
export { taskMessage, pushTaskMessage, type SendTaskOptions } from "./send-task.ts";
export { parseTaskMessage, type TaskMessage, type ParseOptions } from "./parse-task-message.ts";
export { getResult, waitForResult, parseTaskResult, TASK_META_PREFIX, type TaskResult, type ResultOptions, type WaitOptions } from "./task-result.ts";
export { defineTask, sendTask, type CeleryTask, type TaskDefinition, type ValueArgs, type ValueKwargs } from "./task.ts";
export { receiveTask, storeResult, storeFailure, type ReceiveOptions, type StoreOptions, type FailureInfo } from "./consume-task.ts";
