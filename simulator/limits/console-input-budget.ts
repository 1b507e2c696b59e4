// How much may be typed into one host's serial console: a byte budget per host, shared by every
// socket (every page, every member of a shared lab) typing into it. The guest echoes and handles
// each byte in its shell; a flood of input once kept a guest above 100 % CPU for minutes and its
// console unusable. Within the budget, input reaches the host whole and in order; beyond it, the
// rest of a chunk is dropped and the sender is told (console-drop-notices.ts).
//
// A person types ~10 bytes/s (a held key ~30/s); a `<Run>` command or a Show me step types one line
// of well under 200 bytes and waits for its answer. A paste of up to BURST bytes (a long user-data
// file) goes through at once.
import { TokenBucket, type RateLimit } from './token-bucket';

export const CONSOLE_INPUT_LIMIT: RateLimit = { burst: 16 * 1024, perSecond: 2 * 1024 };

/** What became of one console.input chunk. */
export interface ConsoleInputReceipt {
  /** Bytes handed to the host (a prefix of the chunk). */
  written: number;
  /** Bytes dropped from the end of the chunk because the host's budget was spent. */
  dropped: number;
  /** The budget that applied. */
  limit: RateLimit;
}

export class ConsoleInputBudget {
  private readonly bucket: TokenBucket;

  constructor(
    readonly limit: RateLimit = CONSOLE_INPUT_LIMIT,
    now?: () => number,
  ) {
    this.bucket = new TokenBucket(limit, now);
  }

  /**
   * The prefix of `bytes` the budget allows now, spent from it. A cut never splits a UTF-8
   * character: a half character would reach the guest as garbage.
   */
  admit(bytes: Uint8Array): Uint8Array {
    let n = Math.min(bytes.length, Math.floor(this.bucket.available()));
    if (n < bytes.length) n = utf8Boundary(bytes, n);
    if (n > 0) this.bucket.take(n);
    return bytes.subarray(0, n);
  }
}

/** The largest i ≤ at where no UTF-8 character of `bytes` continues (a continuation byte is 10xxxxxx). */
export function utf8Boundary(bytes: Uint8Array, at: number): number {
  let i = at;
  while (i > 0 && i > at - 3 && (bytes[i]! & 0xc0) === 0x80) i--;
  return (bytes[i]! & 0xc0) === 0x80 ? at : i;
}
