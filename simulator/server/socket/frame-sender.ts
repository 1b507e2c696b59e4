// Sending on one lab socket, with backpressure: frames go out at once while the socket keeps up;
// past `maxBufferedBytes` the sender refuses and calls `onOverflow` (the session then closes the
// socket with fellBehind, so the page reconnects with since= instead of losing frames silently).
// Reads from the log are paced instead: `drained()` waits for the buffer to run low.
import { WebSocket } from 'ws';
import type { ServerMessage } from '../../pure/protocol';

/** Reads from the log wait while more than this is queued on the socket. */
export const REPLAY_PACE_BYTES = 1024 * 1024;

export class FrameSender {
  private stopped = false;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly ws: WebSocket,
    private readonly opts: {
      maxBufferedBytes: number;
      /** The socket holds more than maxBufferedBytes: close it. */
      onOverflow: () => void;
      /** A frame could not be serialised (a bug in the lab): report and close. */
      onBadFrame: (err: unknown) => void;
    },
  ) {}

  /** Sends one frame now; false once stopped, closed or over the limit. */
  send(msg: ServerMessage): boolean {
    if (this.stopped || this.ws.readyState !== WebSocket.OPEN) return false;
    if (this.ws.bufferedAmount > this.opts.maxBufferedBytes) {
      this.opts.onOverflow();
      return false;
    }
    let text: string;
    try {
      text = JSON.stringify(msg);
    } catch (err) {
      this.opts.onBadFrame(err);
      return false;
    }
    this.ws.send(text, this.afterWrite);
    return true;
  }

  /** Resolves once at most REPLAY_PACE_BYTES are queued on the socket, or the sender stopped. */
  drained(): Promise<void> {
    if (this.stopped || this.ws.bufferedAmount <= REPLAY_PACE_BYTES) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Refuses every later frame and releases whoever waits in drained(). Idempotent. */
  stop(): void {
    this.stopped = true;
    this.wake();
  }

  /** ws calls this as each frame is handed to the OS (or fails to be). */
  private readonly afterWrite = (): void => {
    if (this.waiters.length && this.ws.bufferedAmount <= REPLAY_PACE_BYTES) this.wake();
  };

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
