/**
 * A host's serial console as a byte stream many readers can attach to: keeps
 * the last `capacity` bytes so a page that attaches later (or reconnects) sees
 * what scrolled by, then receives new bytes live.
 */
export class ConsoleBuffer {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private total = 0;
  private readonly listeners = new Set<(bytes: Uint8Array) => void>();

  constructor(private readonly capacity = 256 * 1024) {}

  /**
   * Starts from a tail saved earlier (e.g. before a simulator restart): `tail`
   * was the history at stream offset `start`. Only for an empty buffer.
   */
  restore(tail: Uint8Array, start: number): void {
    if (this.total !== 0) throw new Error('[host] a console buffer can only be restored before it is used');
    const keep = tail.subarray(Math.max(0, tail.length - this.capacity));
    this.chunks = keep.length > 0 ? [keep.slice()] : [];
    this.size = keep.length;
    this.total = start + tail.length;
  }

  append(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
    this.total += bytes.length;
    while (this.size > this.capacity && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
    for (const l of this.listeners) l(bytes);
  }

  /** Everything still held, oldest first. */
  history(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) { out.set(c, at); at += c.length; }
    return out;
  }

  /** Bytes ever appended: the stream offset of the next byte. */
  get end(): number { return this.total; }

  /** Stream offset of history()'s first byte. */
  get start(): number { return this.total - this.size; }

  text(): string { return new TextDecoder().decode(this.history()); }

  subscribe(listener: (bytes: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
