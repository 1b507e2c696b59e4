/**
 * The framing of QEMU's `-netdev stream` backend: each Ethernet frame is a
 * 4-byte big-endian length followed by that many bytes. The reader keeps at
 * most one header and one frame of the longest allowed length, so a peer
 * cannot make the lab hold more than that however it writes.
 */

/** Bytes of the length prefix. */
export const FRAME_HEADER_BYTES = 4;
/**
 * The longest frame accepted: 64 KiB. A guest's virtio-net with an MTU of
 * 1500 sends at most 1,514 bytes; QEMU's own stream reader refuses anything
 * over 68 KiB, so a length beyond this is a broken or hostile peer.
 */
export const MAX_FRAME_BYTES = 65_536;

/** A peer broke the framing: it announced a frame longer than MAX_FRAME_BYTES. */
export class LanFramingError extends Error {
  override name = 'LanFramingError';
  constructor(readonly announced: number) {
    super(`[simulator:lan] a peer announced a ${announced}-byte frame; at most ${MAX_FRAME_BYTES} bytes are allowed, so the peer was cut from the LAN`);
  }
}

/** One frame as the stream backend carries it: length prefix, then the frame. */
export function encodeFrame(frame: Uint8Array): Buffer {
  if (frame.length > MAX_FRAME_BYTES) throw new LanFramingError(frame.length);
  const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + frame.length);
  out.writeUInt32BE(frame.length, 0);
  out.set(frame, FRAME_HEADER_BYTES);
  return out;
}

/**
 * Splits a byte stream into frames, whatever the chunking: a frame may span
 * chunks and a chunk may hold several frames. Zero-length frames are skipped
 * (QEMU never sends one). Throws LanFramingError at the first oversize length,
 * before buffering any of its body; the reader must not be used after that.
 */
export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Feeds a chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Buffer[] {
    const frames: Buffer[] = [];
    let buf = this.pendingBytes ? Buffer.concat([...this.pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.pending = [];
    this.pendingBytes = 0;
    while (buf.length >= FRAME_HEADER_BYTES) {
      const len = buf.readUInt32BE(0);
      if (len > MAX_FRAME_BYTES) throw new LanFramingError(len);
      if (buf.length < FRAME_HEADER_BYTES + len) break;
      // A copy, so a kept frame does not pin the whole chunk it came in.
      if (len > 0) frames.push(Buffer.from(buf.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + len)));
      buf = buf.subarray(FRAME_HEADER_BYTES + len);
    }
    if (buf.length) {
      // At most header + MAX_FRAME_BYTES - 1 bytes: the loop consumed every whole frame.
      this.pending = [Buffer.from(buf)];
      this.pendingBytes = buf.length;
    }
    return frames;
  }

  /** Bytes held for a frame not yet complete. */
  get buffered(): number { return this.pendingBytes; }
}
