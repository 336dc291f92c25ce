// typed-pickle/managers: a client of Python's multiprocessing.managers servers (BaseManager,
// SyncManager) over typed-pickle/connection. Every reply is read with the strict allowlist or the
// caller's codecs; an exception the server reports is read as data (its class name and arguments).
export { ManagerClient, type ManagerClientOptions } from "./manager-client.ts";
export { RemoteProxy, type CallOptions, type CallKwds } from "./remote-proxy.ts";
export { SharedQueue, type QueueWait } from "./shared-queue.ts";
export { SharedDict } from "./shared-dict.ts";
export { type CallArg, type Reply, type ReplyOptions, encodeRequest, decodeReply } from "./messages.ts";
export { typed, TypedArgument } from "../typed-argument.ts";
export { RemoteError, ManagerProtocolError, type RemoteErrorKind } from "./errors.ts";
export { PythonException } from "../python-exception.ts";
export type { ManagerToken } from "./token.ts";
export { type ManagerTransport, type ManagerConnector, socketConnector } from "./transport.ts";
