import { describe, expect, it } from 'vitest';
import { chooseBootDevice, fatVolumeLabel, INSTALLER_VOLUME_LABEL, kernelCommandLine } from './boot-order';

function bootSector(kind: 'fat16' | 'fat32', label: string): Uint8Array {
  const b = new Uint8Array(512);
  const put = (at: number, s: string): void => { for (let i = 0; i < s.length; i++) b[at + i] = s.charCodeAt(i); };
  if (kind === 'fat16') { put(0x2b, label.padEnd(11)); put(0x36, 'FAT16   '); } else { put(0x47, label.padEnd(11)); put(0x52, 'FAT32   '); }
  b[510] = 0x55; b[511] = 0xaa;
  return b;
}

describe('fatVolumeLabel', () => {
  it.each([
    ['fat16', 'EDGEINSTALL', 'EDGEINSTALL'],
    ['fat32', 'EDGEINSTALL', 'EDGEINSTALL'],
    ['fat16', 'CIDATA', 'CIDATA'],
    ['fat16', 'NO NAME', null],
  ] as const)('%s labelled %j reads %j', (kind, label, expected) => {
    expect(fatVolumeLabel(bootSector(kind, label))).toBe(expected);
  });

  it('is null for an image without a boot signature or FAT type', () => {
    expect(fatVolumeLabel(new Uint8Array(512))).toBeNull();
    const s = bootSector('fat16', 'X');
    s.fill(0, 0x36, 0x3e);
    expect(fatVolumeLabel(s)).toBeNull();
    expect(fatVolumeLabel(new Uint8Array(100))).toBeNull();
  });
});

describe('chooseBootDevice', () => {
  it('boots the installer stick first, anything else from disk', () => {
    expect(chooseBootDevice({ volumeLabel: INSTALLER_VOLUME_LABEL })).toBe('usb');
    expect(chooseBootDevice({ volumeLabel: 'CIDATA' })).toBe('disk');
    expect(chooseBootDevice({ volumeLabel: null })).toBe('disk');
    expect(chooseBootDevice(null)).toBe('disk');
  });
});

describe('kernelCommandLine', () => {
  it('carries the boot device, the TSC frequency, the lab names and the LAN address', () => {
    const c = kernelCommandLine({ device: 'usb', tscKhz: 2596000, hosts: [{ name: 'api.palette.lab', addr: '10.0.2.100' }, { name: 'registry.lab', addr: '10.0.2.101' }], lanAddress: '192.168.50.11/24' });
    expect(c.split(' ')).toEqual(expect.arrayContaining(['console=ttyS0', 'tsc_early_khz=2596000', 'edge.boot=usb', 'edge.hosts=api.palette.lab:10.0.2.100,registry.lab:10.0.2.101', 'edge.lan=192.168.50.11/24']));
  });

  it('leaves out what is not given', () => {
    const c = kernelCommandLine({ device: 'disk', tscKhz: 1, hosts: [] });
    expect(c).not.toMatch(/edge\.hosts|edge\.lan/);
  });
});
