/**
 * Shrinks what QEMU must read of the guest kernel. In Debian's vmlinux the
 * last PT_LOAD segment stores .bss and .init.scratch as zeros in the file
 * (a PROGBITS section follows .bss), so QEMU's ELF loader reads ~20 MiB of
 * zeros and keeps them resident in every VM. A loader zero-fills p_memsz
 * beyond p_filesz, so dropping a segment's trailing zero bytes from p_filesz
 * loads exactly the same memory image. Pure: returns a patched copy.
 */
export interface TrimResult { elf: Uint8Array; trimmedBytes: number }

const PT_LOAD = 1;

export function trimTrailingZeroes(input: Uint8Array): TrimResult {
  const elf = new Uint8Array(input);
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  if (v.getUint32(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1) throw new Error('[images] not a little-endian ELF64 file');
  const phoff = Number(v.getBigUint64(0x20, true));
  const phentsize = v.getUint16(0x36, true);
  const phnum = v.getUint16(0x38, true);
  let trimmed = 0;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (v.getUint32(ph, true) !== PT_LOAD) continue;
    const offset = Number(v.getBigUint64(ph + 0x08, true));
    const filesz = Number(v.getBigUint64(ph + 0x20, true));
    let end = offset + filesz;
    while (end > offset && elf[end - 1] === 0) end--;
    const newSize = Math.min(filesz, Math.ceil((end - offset) / 8) * 8);
    if (newSize < filesz) {
      v.setBigUint64(ph + 0x20, BigInt(newSize), true);
      trimmed += filesz - newSize;
    }
  }
  return { elf, trimmedBytes: trimmed };
}
