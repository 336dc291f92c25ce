// A proxy for one object a manager server holds (Python's BaseProxy). It opens its own connection on
// first use and asks the server to serve it (`accept_connection`), then sends (ident, method, args,
// kwds) requests on it. It owns one server-side reference, given back by close() (decref).
import type { PyValue } from "../../model/value.ts";
import type { Codec } from "../../typed/codec.ts";
import { ManagerProtocolError } from "./errors.ts";
import { type CallArg, type ReplyOptions, encodeRequest } from "./messages.ts";
import type { RequestChannel } from "./request-channel.ts";
import type { ManagerToken } from "./token.ts";
import { ProcessError } from "../connection/errors.ts";

/** What a proxy needs from its manager client. */
export interface ProxyOwner {
  /** A new authenticated connection to the server. */
  connection(): Promise<RequestChannel>;
  /** The name the server gives the thread serving a proxy's connection. */
  readonly connectionName: string;
  /** A proxy for a reference the server made for us (#PROXY replies). */
  adopt(token: ManagerToken, exposed: readonly string[]): RemoteProxy;
  /** Gives a reference back to the server; called once per proxy. */
  release(proxy: RemoteProxy): Promise<void>;
}

export type CallKwds = Readonly<Record<string, CallArg>>;

/** A call's options: the result's codec (and `strict`), as for any reply. */
export type CallOptions<T> = ReplyOptions<T>;

export class RemoteProxy {
  private channel: Promise<RequestChannel> | null = null;
  private closed = false;

  constructor(
    private readonly owner: ProxyOwner,
    readonly token: ManagerToken,
    /** The methods the server lets this proxy call. */
    readonly exposed: readonly string[],
  ) {}

  /**
   * Calls `method` on the remote object and returns its result: converted by `options.result` when
   * given, else as the value model reads it (strict allowlist). A method that returns a proxy needs
   * `callProxy`. The remote exception, if any, rejects as a RemoteError.
   */
  call(method: string, args?: readonly CallArg[], kwds?: CallKwds): Promise<PyValue>;
  call<T>(method: string, args: readonly CallArg[], kwds: CallKwds, options: CallOptions<T> & { result: Codec<T> }): Promise<T>;
  async call<T>(method: string, args: readonly CallArg[] = [], kwds: CallKwds = {}, options: CallOptions<T> = {}): Promise<T | PyValue> {
    const reply = await this.send(method, args, kwds, options);
    if (reply.kind === "#RETURN") return reply.value;
    // A proxy nobody asked for: give its reference back before saying so.
    await this.owner.adopt(reply.token, reply.exposed).close();
    throw new ManagerProtocolError(`${method}() returned a proxy (typeid '${reply.token.typeid}'): call it with callProxy()`);
  }

  /** Calls a method the server answers with a proxy (its `method_to_typeid`): a new RemoteProxy, to close too. */
  async callProxy(method: string, args: readonly CallArg[] = [], kwds: CallKwds = {}): Promise<RemoteProxy> {
    const reply = await this.send(method, args, kwds, {});
    if (reply.kind === "#PROXY") return this.owner.adopt(reply.token, reply.exposed);
    throw new ManagerProtocolError(`${method}() returned a value, not a proxy: call it with call()`);
  }

  private async send<T>(method: string, args: readonly CallArg[], kwds: CallKwds, options: ReplyOptions<T>) {
    if (this.closed) throw new ProcessError(`the proxy for '${this.token.typeid}' (id ${this.token.id}) is closed`);
    const request = encodeRequest(this.token.id, method, args, kwds);
    return (await this.connect()).request(request, options, `${this.token.typeid}.${method}()`);
  }

  private connect(): Promise<RequestChannel> {
    if (this.channel === null) {
      this.channel = this.owner.connection().then(async (channel) => {
        const reply = await channel.request(encodeRequest(null, "accept_connection", [this.owner.connectionName], {}));
        if (reply.kind !== "#RETURN" || reply.value !== null) throw new ManagerProtocolError("accept_connection must return None");
        return channel;
      });
      // A failed connect is retried by the next call rather than kept.
      this.channel.catch(() => (this.channel = null));
    }
    return this.channel;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Gives the server-side reference back (decref) and closes this proxy's connection. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const channel = this.channel;
    this.channel = null;
    try {
      await this.owner.release(this);
    } finally {
      if (channel)
        await channel.then(
          (c) => c.close(),
          () => undefined,
        );
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
