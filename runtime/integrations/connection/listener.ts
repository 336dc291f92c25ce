// Python's multiprocessing.connection.Listener: accept() takes the next connection and (with an
// authkey) delivers our challenge, then answers the client's — the order Python's accept uses.
import { createServer, type Server, type Socket } from "node:net";
import { type Address, authkeyBytes, describeAddress, socketTarget } from "./address.ts";
import { type AuthOptions, DEFAULT_HANDSHAKE_TIMEOUT_MS } from "./client.ts";
import { Connection, type ConnectionOptions } from "./connection.ts";
import { ConnectionClosedError, ProcessError } from "./errors.ts";
import { answerChallenge, deliverChallenge, handshakeFailure } from "./handshake.ts";

export interface ListenerOptions extends ConnectionOptions, AuthOptions {
  /** The listen queue's length (Python's `backlog`); Node's default (511) when not given. */
  backlog?: number | undefined;
}

export class Listener {
  /** Connections the server took that no accept() has claimed yet. */
  private readonly waiting: Socket[] = [];
  private readonly acceptors: { resolve: (socket: Socket) => void; reject: (e: Error) => void }[] = [];
  private closedReason: Error | null = null;

  private constructor(
    private readonly server: Server,
    private readonly options: ListenerOptions,
    private readonly boundAddress: Address,
  ) {
    server.on("connection", (socket) => {
      // Until accept() wraps it, a failure only has to be noticed (the Connection sees it as closed).
      socket.on("error", () => {});
      const acceptor = this.acceptors.shift();
      if (acceptor) acceptor.resolve(socket);
      else this.waiting.push(socket);
    });
  }

  /** Listens on `address` (`["127.0.0.1", 0]` picks a free port; a path makes a Unix socket). */
  static async open(address: Address, options: ListenerOptions = {}): Promise<Listener> {
    const target = socketTarget(address);
    const server = createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (e) => reject(new ProcessError(`cannot listen on ${describeAddress(address)}: ${e.message}`, { cause: e })));
      server.listen({ ...target, ...(options.backlog === undefined ? {} : { backlog: options.backlog }) }, () => resolve());
    });
    const bound = server.address();
    const actual: Address = typeof bound === "object" && bound !== null ? [bound.address, bound.port] : (bound ?? (address as string));
    return new Listener(server, options, actual);
  }

  /** Where the listener is: `[host, port]` (the actual port when 0 was asked) or the socket path. */
  get address(): Address {
    return this.boundAddress;
  }

  /**
   * The next connection, authenticated if the listener has an authkey. A client that fails the
   * handshake is dropped and this rejects with AuthenticationError (as Python's accept raises);
   * the listener keeps listening.
   */
  async accept(): Promise<Connection> {
    const socket = await this.nextSocket();
    const connection = new Connection(socket, this.options);
    if (this.options.authkey !== undefined) {
      const key = authkeyBytes(this.options.authkey);
      const channel = connection.handshakeChannel(Date.now() + (this.options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS));
      try {
        const peer = await deliverChallenge(channel, key, this.options);
        const ours = await answerChallenge(channel, key);
        connection.handshake = { peer, ours };
      } catch (e) {
        connection.destroy();
        throw handshakeFailure(e);
      }
    }
    return connection;
  }

  /** Stops listening (a Unix socket's file is removed); connections already accepted stay open. */
  async close(): Promise<void> {
    if (this.closedReason) return;
    this.closedReason = new ConnectionClosedError("the listener is closed");
    for (const acceptor of this.acceptors.splice(0)) acceptor.reject(this.closedReason);
    for (const socket of this.waiting.splice(0)) socket.destroy();
    // Stops listening at once (and unlinks a Unix socket's file); Node's callback would also wait
    // for every accepted connection to end, which Python's close does not.
    this.server.close();
  }

  private nextSocket(): Promise<Socket> {
    if (this.closedReason) return Promise.reject(this.closedReason);
    const socket = this.waiting.shift();
    if (socket) return Promise.resolve(socket);
    return new Promise((resolve, reject) => this.acceptors.push({ resolve, reject }));
  }
}
