// One host's console as this page has seen it: the bytes of console.history and console.output
// laid end to end by their stream offsets. A chunk (or the part of it) this buffer already holds
// is dropped, so re-attaching after a reconnect repeats nothing; bytes the page never received are
// noted as a gap. Only the last `maxBytes` are kept.

export const DEFAULT_MAX_CONSOLE_BYTES = 256 * 1024;

/** Bytes [offset, offset + missing) of the host's stream never reached this page. */
export interface ConsoleGap {
  offset: number;
  missing: number;
}

/** An immutable view of the buffer; a new object only after the buffer changed. */
export interface ConsoleSnapshot {
  hostId: string;
  /** The retained bytes, oldest first (gaps are closed up, see `gaps`). */
  bytes: Uint8Array;
  /** Stream offset just past the last byte received; 0 before anything came. */
  endOffset: number;
  /** Gaps noted since the buffer was created, oldest first (at most MAX_GAPS). */
  gaps: readonly ConsoleGap[];
  /** Bytes dropped from the front to stay within the limit. */
  trimmedBytes: number;
}

const MAX_GAPS = 32;

export class ConsoleBuffer {
  private chunks: Uint8Array[] = [];
  private length = 0;
  private end: number | null = null;
  private gaps: ConsoleGap[] = [];
  private trimmed = 0;
  private snapshot: ConsoleSnapshot | null = null;

  constructor(
    readonly hostId: string,
    private readonly maxBytes: number = DEFAULT_MAX_CONSOLE_BYTES,
  ) {}

  /**
   * Adds the chunk whose first byte is at stream `offset`. Returns the bytes that were new (empty
   * when the chunk was wholly a repeat), for subscribers that feed a terminal incrementally.
   */
  append(offset: number, data: Uint8Array): Uint8Array {
    let fresh = data;
    if (this.end !== null) {
      const chunkEnd = offset + data.length;
      if (chunkEnd <= this.end) return new Uint8Array(0);
      if (offset < this.end) fresh = data.subarray(this.end - offset);
      else if (offset > this.end) this.noteGap(this.end, offset - this.end);
    }
    if (fresh.length === 0) return fresh;
    this.chunks.push(fresh);
    this.length += fresh.length;
    this.end = offset + data.length;
    this.trim();
    this.snapshot = null;
    return fresh;
  }

  getSnapshot(): ConsoleSnapshot {
    if (!this.snapshot) {
      const bytes = new Uint8Array(this.length);
      let at = 0;
      for (const c of this.chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      // One chunk from now on: the next snapshot copies nothing it need not.
      this.chunks = this.length > 0 ? [bytes] : [];
      this.snapshot = { hostId: this.hostId, bytes, endOffset: this.end ?? 0, gaps: [...this.gaps], trimmedBytes: this.trimmed };
    }
    return this.snapshot;
  }

  private noteGap(offset: number, missing: number): void {
    this.gaps.push({ offset, missing });
    if (this.gaps.length > MAX_GAPS) this.gaps.shift();
  }

  private trim(): void {
    let excess = this.length - this.maxBytes;
    while (excess > 0) {
      const first = this.chunks[0]!;
      if (first.length <= excess) {
        this.chunks.shift();
        this.length -= first.length;
        this.trimmed += first.length;
        excess -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.length -= excess;
        this.trimmed += excess;
        excess = 0;
      }
    }
  }
}

/** The snapshot's bytes as text (UTF-8, invalid sequences as U+FFFD). */
export function consoleText(snapshot: ConsoleSnapshot): string {
  return new TextDecoder().decode(snapshot.bytes);
}
