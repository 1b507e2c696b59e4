// What one page's socket may send, bounded so that one token holder cannot stall the lab server
// (every frame costs a parse and usually an answer on the one event loop that also serves /healthz
// and every other lab). Over any limit the socket is closed with LAB_SOCKET_CLOSE.tooManyMessages
// and a reason naming the limit; the page reconnects after a pause.
//
// The page's normal traffic (src/lab/client/connection.ts) is far below these: hello once per
// connection, one console.attach per console shown (a few, all again after a reconnect), one
// console.input per keystroke (a held key repeats at ~30/s) or per paste (64 KiB chunks), one
// command per click, and no protocol pings at all. Scripted clients (Show me, the scenario runner,
// the benchmarks) send a command and await its result, back to back: up to a few hundred in a
// second. The limits leave room for all of that and still cut a flood (tens of thousands of frames
// a second) after a few milliseconds of work.
import { TokenBucket, type RateLimit } from '../../limits/token-bucket';

export interface SocketRateLimits {
  /** Frames of any kind (the protocol's ping included). */
  frames: RateLimit;
  /** Bytes of those frames, as received. */
  bytes: RateLimit;
  /**
   * WebSocket control pings and pongs. `ws` answers a ping by itself, so each costs a write; no
   * browser sends pings, and a page's pongs answer the server's heartbeat (one per 30 s). The burst
   * stays below ws's own limit of 60 unanswered pings, past which it drops the socket with no reason.
   */
  control: RateLimit;
}

export const DEFAULT_SOCKET_RATE_LIMITS: SocketRateLimits = {
  frames: { burst: 400, perSecond: 100 },
  // A 1 MiB paste is ~1.4 MB of base64 frames: it passes (the host's console budget then says what it kept).
  bytes: { burst: 2 * 1024 * 1024, perSecond: 256 * 1024 },
  control: { burst: 20, perSecond: 2 },
};

/** One socket's buckets. Each check returns the close reason once a limit is passed, else null. */
export class SocketRateLimiter {
  private readonly frames: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly control: TokenBucket;

  constructor(
    private readonly limits: SocketRateLimits = DEFAULT_SOCKET_RATE_LIMITS,
    now?: () => number,
  ) {
    this.frames = new TokenBucket(limits.frames, now);
    this.bytes = new TokenBucket(limits.bytes, now);
    this.control = new TokenBucket(limits.control, now);
  }

  /** A data frame of `size` bytes arrived. */
  frame(size: number): string | null {
    const { frames, bytes } = this.limits;
    if (!this.frames.take()) return `[lab-socket] this page sent over ${frames.perSecond} messages/s (bursts of ${frames.burst}); closed, it reconnects after a pause`;
    if (!this.bytes.take(size)) return `[lab-socket] this page sent over ${kib(bytes.perSecond)}/s (bursts of ${kib(bytes.burst)}); closed, it reconnects after a pause`;
    return null;
  }

  /** A WebSocket ping or pong control frame arrived. */
  controlFrame(): string | null {
    const { control } = this.limits;
    if (this.control.take()) return null;
    return `[lab-socket] over ${control.perSecond} WebSocket pings or pongs/s (bursts of ${control.burst}); closed, the page reconnects after a pause`;
  }
}

function kib(bytes: number): string {
  return `${Math.round(bytes / 1024)} KiB`;
}
