import { describe, expect, it } from 'vitest';
import { encodeFrame, FRAME_HEADER_BYTES, FrameReader, LanFramingError, MAX_FRAME_BYTES } from './lan-frames';

const bytes = (...xs: number[]): Buffer => Buffer.from(xs);

describe('encodeFrame', () => {
  it('prefixes the frame with its length, 4 bytes big-endian, as QEMU stream does', () => {
    expect([...encodeFrame(bytes(0xaa, 0xbb, 0xcc))]).toEqual([0, 0, 0, 3, 0xaa, 0xbb, 0xcc]);
    expect(encodeFrame(Buffer.alloc(0x0102)).subarray(0, 4)).toEqual(bytes(0, 0, 1, 2));
  });

  it('refuses a frame longer than the limit', () => {
    expect(() => encodeFrame(Buffer.alloc(MAX_FRAME_BYTES + 1))).toThrow(LanFramingError);
    expect(encodeFrame(Buffer.alloc(MAX_FRAME_BYTES))).toHaveLength(MAX_FRAME_BYTES + FRAME_HEADER_BYTES);
  });
});

describe('FrameReader', () => {
  it('reassembles a frame fed one byte at a time, header included', () => {
    const r = new FrameReader();
    const wire = encodeFrame(bytes(1, 2, 3, 4, 5));
    const out: Buffer[] = [];
    for (const b of wire) out.push(...r.push(bytes(b)));
    expect(out).toEqual([bytes(1, 2, 3, 4, 5)]);
    expect(r.buffered).toBe(0);
  });

  it('splits several frames out of one chunk and keeps the partial tail for the next', () => {
    const r = new FrameReader();
    const wire = Buffer.concat([encodeFrame(bytes(1)), encodeFrame(bytes(2, 2)), encodeFrame(bytes(3, 3, 3))]);
    expect(r.push(wire.subarray(0, wire.length - 2))).toEqual([bytes(1), bytes(2, 2)]);
    expect(r.buffered).toBe(FRAME_HEADER_BYTES + 1);
    expect(r.push(wire.subarray(wire.length - 2))).toEqual([bytes(3, 3, 3)]);
  });

  it('skips zero-length frames', () => {
    const r = new FrameReader();
    expect(r.push(Buffer.concat([bytes(0, 0, 0, 0), encodeFrame(bytes(9))]))).toEqual([bytes(9)]);
  });

  it('throws at an oversize length as soon as the header is complete, before any body arrives', () => {
    const r = new FrameReader();
    expect(r.push(bytes(0, 1))).toEqual([]);
    const over = MAX_FRAME_BYTES + 1;
    expect(() => r.push(bytes((over >> 8) & 0xff, over & 0xff))).toThrow(LanFramingError);
    expect(() => new FrameReader().push(bytes(0xff, 0xff, 0xff, 0xff))).toThrow(/4294967295-byte frame/);
  });

  it('holds at most one header and one maximal frame whatever is fed', () => {
    const r = new FrameReader();
    const wire = encodeFrame(Buffer.alloc(MAX_FRAME_BYTES, 7));
    let most = 0;
    for (let at = 0; at < wire.length - 1; at += 1000) {
      r.push(wire.subarray(at, Math.min(at + 1000, wire.length - 1)));
      most = Math.max(most, r.buffered);
    }
    expect(most).toBe(wire.length - 1);
    expect(r.push(wire.subarray(wire.length - 1))).toHaveLength(1);
    expect(r.buffered).toBe(0);
  });
});
