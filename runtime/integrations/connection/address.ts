// Addresses as Python's multiprocessing.connection writes them: a (host, port) pair for AF_INET, a
// filesystem path (or a "\0"-prefixed Linux abstract name) for AF_UNIX. Windows named pipes (AF_PIPE) are not supported.
import { ProcessError } from "./errors.ts";

export type Address = readonly [host: string, port: number] | string;

/** node:net's options for an address (connect and listen take the same shape). */
export function socketTarget(address: Address): { host: string; port: number } | { path: string } {
  if (typeof address === "string") {
    if (address.startsWith("\\\\")) throw new ProcessError(`${address}: Windows named pipes (AF_PIPE) are not supported`);
    return { path: address };
  }
  if (Array.isArray(address) && address.length === 2 && typeof address[0] === "string" && Number.isInteger(address[1])) {
    return { host: address[0], port: address[1] };
  }
  throw new ProcessError(`not an address: ${JSON.stringify(address)} (expected ["host", port] or a socket path)`);
}

export function describeAddress(address: Address): string {
  return typeof address === "string" ? address : `${address[0]}:${address[1]}`;
}

/** An authkey as bytes (a string is taken as UTF-8). */
export function authkeyBytes(authkey: Uint8Array | string): Uint8Array {
  return typeof authkey === "string" ? new TextEncoder().encode(authkey) : authkey;
}
