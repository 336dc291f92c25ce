// A client of a Python multiprocessing.managers server (BaseManager, SyncManager): the server's own
// methods (create, incref, decref, dummy, number_of_objects, debug_info, shutdown), each on a new
// connection as Python's `dispatch` does, and proxies for the objects it serves.
import { PyTuple } from "../../model/containers.ts";
import type { PyValue } from "../../model/value.ts";
import type { Codec } from "../../typed/codec.ts";
import type { Address, ClientOptions } from "../connection/index.ts";
import { ManagerProtocolError } from "./errors.ts";
import { type CallArg, encodeRequest } from "./messages.ts";
import { type CallKwds, type ProxyOwner, RemoteProxy } from "./remote-proxy.ts";
import { RequestChannel } from "./request-channel.ts";
import { SharedDict } from "./shared-dict.ts";
import { SharedQueue } from "./shared-queue.ts";
import type { ManagerToken } from "./token.ts";
import { type ManagerConnector, socketConnector } from "./transport.ts";

export interface ManagerClientOptions extends ClientOptions {
  /** The name the server gives the threads serving our proxies (Python uses the process name). */
  connectionName?: string | undefined;
}

export class ManagerClient implements ProxyOwner {
  private readonly open = new Set<RemoteProxy>();
  readonly connectionName: string;

  private constructor(
    private readonly connector: ManagerConnector,
    connectionName: string | undefined,
  ) {
    this.connectionName = connectionName ?? "typed-pickle";
  }

  /**
   * Connects to the manager at `address` (["host", port] or a Unix socket path) with `options.authkey`,
   * and checks the server answers (`dummy`, as Python's BaseManager.connect does).
   */
  static async connect(address: Address, options: ManagerClientOptions = {}): Promise<ManagerClient> {
    return ManagerClient.overConnector(socketConnector(address, options), options.connectionName);
  }

  /** The same over connections made by `connector` (each one already authenticated). */
  static async overConnector(connector: ManagerConnector, connectionName?: string): Promise<ManagerClient> {
    const client = new ManagerClient(connector, connectionName);
    await client.dummy();
    return client;
  }

  async connection(): Promise<RequestChannel> {
    return new RequestChannel(await this.connector());
  }

  /** One of the server's own methods, on a connection of its own (the server closes it after replying). */
  private async serverCall(method: string, args: readonly CallArg[], kwds: CallKwds = {}): Promise<PyValue> {
    const channel = await this.connection();
    try {
      const reply = await channel.request<PyValue>(encodeRequest(null, method, args, kwds), {}, `the server's ${method}()`);
      if (reply.kind !== "#RETURN") throw new ManagerProtocolError(`the server's ${method}() must return a value, not a proxy`);
      return reply.value;
    } finally {
      await channel.close();
    }
  }

  /** Creates a shared object of a registered typeid (`typeid(*args, **kwds)` on the server) and returns its proxy. */
  async create(typeid: string, args: readonly CallArg[] = [], kwds: CallKwds = {}): Promise<RemoteProxy> {
    const result = await this.serverCall("create", [typeid, ...args], kwds);
    const [id, exposed] = result instanceof PyTuple && result.items.length === 2 ? result.items : [];
    const names = exposed instanceof PyTuple ? exposed.items : null;
    if (typeof id !== "string" || names === null || !names.every((n) => typeof n === "string")) {
      throw new ManagerProtocolError("create() must return (id, exposed): a str and a tuple of str");
    }
    // create() counted one reference, which the proxy takes over (Python's increfs once more for the
    // proxy and then decrefs for create: the same count, two connections later).
    return this.adopt({ typeid, id }, names as string[]);
  }

  /** A `queue.Queue` the server shares under `typeid` (e.g. a registered `get_queue`); items typed by `item` when given. */
  async queue<T = PyValue>(typeid: string, options: { item?: Codec<T> } = {}): Promise<SharedQueue<T>> {
    return new SharedQueue(await this.create(typeid), options.item);
  }

  /** A dict the server shares under `typeid` (registered with DictProxy's exposed methods); keys and values typed when given. */
  async dict<K = PyValue, V = PyValue>(typeid: string, options: { key?: Codec<K>; value?: Codec<V> } = {}): Promise<SharedDict<K, V>> {
    return new SharedDict(await this.create(typeid), options.key, options.value);
  }

  adopt(token: ManagerToken, exposed: readonly string[]): RemoteProxy {
    const proxy = new RemoteProxy(this, token, exposed);
    this.open.add(proxy);
    return proxy;
  }

  async release(proxy: RemoteProxy): Promise<void> {
    this.open.delete(proxy);
    await this.decref(proxy.token.id);
  }

  /** Counts one more reference to the object `id` (Python's proxies do this when they are copied). */
  async incref(id: string): Promise<void> {
    await this.serverCall("incref", [id]);
  }

  /** Gives back a reference to the object `id`; the server drops the object when none are left. */
  async decref(id: string): Promise<void> {
    await this.serverCall("decref", [id]);
  }

  /** Does nothing on the server: checks that it answers and that the authkey is right. */
  async dummy(): Promise<void> {
    await this.serverCall("dummy", []);
  }

  /** How many shared objects the server holds references for. */
  async numberOfObjects(): Promise<number> {
    const n = await this.serverCall("number_of_objects", []);
    if (typeof n !== "bigint") throw new ManagerProtocolError("number_of_objects() must return an int");
    return Number(n);
  }

  /** The server's list of shared objects and their reference counts, as text. */
  async debugInfo(): Promise<string> {
    const text = await this.serverCall("debug_info", []);
    if (typeof text !== "string") throw new ManagerProtocolError("debug_info() must return a str");
    return text;
  }

  /** Stops the server process (its proxies stop working). */
  async shutdown(): Promise<void> {
    this.open.clear();
    await this.serverCall("shutdown", []);
  }

  /** The proxies not closed yet. */
  get openProxies(): number {
    return this.open.size;
  }

  /** Closes every open proxy (each gives its reference back). Rejects with the first failure, after trying all. */
  async close(): Promise<void> {
    const results = await Promise.allSettled([...this.open].map((proxy) => proxy.close()));
    const failed = results.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
