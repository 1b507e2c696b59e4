import { describe, expect, it } from 'vitest';
import { canonicalModuleName, moduleLoadOrder, parseModinfoDepends } from './kernel-modules';

const ko = (modinfo: string): Uint8Array => new TextEncoder().encode(`\x7fELF....\0license=GPL\0${modinfo}\0vermagic=6.1.0\0`);

describe('parseModinfoDepends', () => {
  it('reads the depends= field, normalising - to _', () => {
    expect(parseModinfoDepends(ko('depends=scsi_mod,usbcore,usb-common'))).toEqual(['scsi_mod', 'usbcore', 'usb_common']);
  });
  it('is empty for no or an empty depends=', () => {
    expect(parseModinfoDepends(ko('depends='))).toEqual([]);
    expect(parseModinfoDepends(ko('author=x'))).toEqual([]);
  });
});

describe('moduleLoadOrder', () => {
  const deps: Record<string, string[]> = { ext4: ['jbd2', 'mbcache', 'crc16'], jbd2: [], mbcache: [], crc16: [], virtio_blk: ['virtio', 'virtio_ring'], virtio: ['virtio_ring'], virtio_ring: [] };
  const of = (n: string): string[] | undefined => deps[n];

  it('puts every module after its dependencies, each once', () => {
    expect(moduleLoadOrder(['virtio_blk', 'ext4'], of)).toEqual(['virtio_ring', 'virtio', 'virtio_blk', 'jbd2', 'mbcache', 'crc16', 'ext4']);
  });
  it('skips what is already loaded', () => {
    expect(moduleLoadOrder(['virtio_blk'], of, new Set(['virtio_ring', 'virtio']))).toEqual(['virtio_blk']);
  });
  it('names the chain when a module is missing', () => {
    expect(() => moduleLoadOrder(['a'], (n) => ({ a: ['b'] } as Record<string, string[]>)[n])).toThrow(/b is not in the kernel package \(needed by a\)/);
  });
  it('reports a cycle', () => {
    expect(() => moduleLoadOrder(['a'], (n) => ({ a: ['b'], b: ['a'] } as Record<string, string[]>)[n])).toThrow(/cycle: a → b → a/);
  });
  it('treats file names with dashes as module names', () => {
    expect(canonicalModuleName('usb-storage.ko')).toBe('usb_storage');
  });
});
