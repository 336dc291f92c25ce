// One connection to a manager server, used request by reply: a request is sent only after the
// previous reply was read, so replies always match their requests (Python gets the same by giving
// each thread its own connection). A failure of the connection itself breaks the channel for good —
// a reply may still be on its way, and would answer the wrong request — but a reply refused by the
// allowlist does not: its frame was read whole.
import { UnpicklingError } from "../../errors.ts";
import { type Reply, type ReplyOptions, decodeReply } from "./messages.ts";
import type { ManagerTransport } from "./transport.ts";

export class RequestChannel {
  private last: Promise<unknown> = Promise.resolve();
  private broken: unknown = null;

  constructor(private readonly transport: ManagerTransport) {}

  /**
   * Sends a request's pickle and reads its reply, after any request already under way. `what` names
   * the request in the message of a refused reply ("the reply to Tricky.payload()").
   */
  request<T>(request: Uint8Array, options: ReplyOptions<T> = {}, what = "a request"): Promise<Reply<T>> {
    const run = async (): Promise<Reply<T>> => {
      if (this.broken !== null) throw this.broken;
      let reply: Uint8Array;
      try {
        await this.transport.sendBytes(request);
        reply = await this.transport.recvBytes();
      } catch (e) {
        this.broken = e;
        await this.close();
        throw e;
      }
      try {
        return decodeReply(reply, options);
      } catch (e) {
        throw e instanceof UnpicklingError ? labelled(e, what) : e;
      }
    };
    const result = this.last.then(run, run);
    this.last = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    try {
      await this.transport.close();
    } catch {
      // Already closed or failed: there is nothing left to release.
    }
  }
}

/** The same error (same class, offset and opcode), its reason saying which reply was refused. */
function labelled(e: UnpicklingError, what: string): UnpicklingError {
  const Same = e.constructor as typeof UnpicklingError;
  return new Same(`the reply to ${what}: ${e.reason}`, e.offset, e.opcode, { cause: e });
}
