// What the manager client needs of a connection: whole frames out and in. typed-pickle/connection's
// Connection is one; `ManagerClient.overConnector` takes any other (a test double, a tunnel).
import { type Address, Client, type ClientOptions } from "../connection/index.ts";

export interface ManagerTransport {
  sendBytes(frame: Uint8Array): Promise<void>;
  recvBytes(): Promise<Uint8Array>;
  close(): Promise<void> | void;
}

/** Opens a new authenticated connection to the manager (the server handles one request per connection, or one proxy). */
export type ManagerConnector = () => Promise<ManagerTransport>;

/** Connections to `address` made by typed-pickle/connection's Client, with its options (authkey, timeouts, frame limit). */
export function socketConnector(address: Address, options: ClientOptions): ManagerConnector {
  return () => Client(address, options);
}
