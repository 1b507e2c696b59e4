import { describe, expect, it } from 'vitest';
import { trimTrailingZeroes } from './elf-trim';

/** A minimal ELF64 with one PT_LOAD segment whose file image is `body`. */
function elfWith(body: number[], memsz: number): Uint8Array {
  const phoff = 64, dataOff = 64 + 56;
  const b = new Uint8Array(dataOff + body.length);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x7f454c46); b[4] = 2; b[5] = 1;
  v.setBigUint64(0x20, BigInt(phoff), true); v.setUint16(0x36, 56, true); v.setUint16(0x38, 1, true);
  v.setUint32(phoff, 1, true);
  v.setBigUint64(phoff + 0x08, BigInt(dataOff), true);
  v.setBigUint64(phoff + 0x20, BigInt(body.length), true);
  v.setBigUint64(phoff + 0x28, BigInt(memsz), true);
  b.set(body, dataOff);
  return b;
}
const filesz = (elf: Uint8Array): number => Number(new DataView(elf.buffer).getBigUint64(64 + 0x20, true));

describe('trimTrailingZeroes', () => {
  it('drops trailing zero bytes from p_filesz, keeping 8-byte alignment and memsz', () => {
    const { elf, trimmedBytes } = trimTrailingZeroes(elfWith([1, 2, 3, ...new Array(29).fill(0)], 64));
    expect(filesz(elf)).toBe(8);
    expect(trimmedBytes).toBe(24);
    expect(Number(new DataView(elf.buffer).getBigUint64(64 + 0x28, true))).toBe(64);
  });
  it('leaves a segment without trailing zeroes alone and does not modify its input', () => {
    const input = elfWith([0, 0, 5, 6, 7, 8, 9, 1], 8);
    const { elf, trimmedBytes } = trimTrailingZeroes(input);
    expect(trimmedBytes).toBe(0);
    expect(filesz(elf)).toBe(8);
    expect(elf).not.toBe(input);
  });
  it('rejects what is not an ELF64 file', () => {
    expect(() => trimTrailingZeroes(new Uint8Array(64))).toThrow(/not a little-endian ELF64/);
  });
});
