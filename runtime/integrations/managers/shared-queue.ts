// A queue.Queue served by a Python manager, through its proxy. Items are written and read by the
// item codec when one is given, else as the value model (read with the strict allowlist).
import type { PyValue } from "../../model/value.ts";
import type { Codec } from "../../typed/codec.ts";
import { typed } from "../typed-argument.ts";
import type { CallArg } from "./messages.ts";
import type { RemoteProxy } from "./remote-proxy.ts";

export interface QueueWait {
  /** Wait when the queue is empty (get) or full (put). Default true. */
  block?: boolean | undefined;
  /** Seconds to wait at most (Python's timeout); then a RemoteError for queue.Empty / queue.Full. Default: no limit. */
  timeout?: number | undefined;
}

export class SharedQueue<T = PyValue> {
  constructor(
    readonly proxy: RemoteProxy,
    private readonly item?: Codec<T>,
  ) {}

  /** `queue.put(item, block, timeout)`. */
  async put(item: T, wait: QueueWait = {}): Promise<void> {
    await this.proxy.call("put", [this.arg(item), wait.block ?? true, wait.timeout ?? null]);
  }

  /**
   * `queue.get(block, timeout)`. A get that waits blocks this proxy's connection (other proxies
   * keep working); an empty queue after the timeout rejects with a RemoteError for queue.Empty.
   */
  get(wait: QueueWait = {}): Promise<T> {
    const args = [wait.block ?? true, wait.timeout ?? null];
    return this.item ? this.proxy.call("get", args, {}, { result: this.item }) : (this.proxy.call("get", args) as Promise<T>);
  }

  /** `queue.qsize()`: approximate, as in Python. */
  async size(): Promise<number> {
    return Number(await this.proxy.call("qsize"));
  }

  close(): Promise<void> {
    return this.proxy.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private arg(item: T): CallArg {
    return this.item ? typed(this.item, item) : (item as PyValue);
  }
}
