/**
 * The firmware's boot order of a virtual edge host: a bootable USB stick first,
 * then the internal disk, as on the real hardware the guides describe (leave
 * the installer stick in and the host installs again). Pure.
 */
export type BootDevice = 'usb' | 'disk';

/** FAT volume label the Edge Installer stick carries; the firmware boots only sticks that have it. */
export const INSTALLER_VOLUME_LABEL = 'EDGEINSTALL';

/** FAT volume label of a site user-data stick (cloud-init NoCloud's `cidata`); never booted. */
export const SITE_VOLUME_LABEL = 'CIDATA';

export function chooseBootDevice(stick: { volumeLabel: string | null } | null): BootDevice {
  return stick?.volumeLabel === INSTALLER_VOLUME_LABEL ? 'usb' : 'disk';
}

/**
 * Volume label from a FAT boot sector (first 512 bytes), or null if the image
 * is not FAT. FAT12/16 keep it at 0x2B, FAT32 at 0x47 (after the extended BPB).
 */
export function fatVolumeLabel(bootSector: Uint8Array): string | null {
  if (bootSector.length < 512 || bootSector[510] !== 0x55 || bootSector[511] !== 0xaa) return null;
  const ascii = (from: number, len: number): string => String.fromCharCode(...bootSector.subarray(from, from + len));
  const fat32 = ascii(0x52, 8).startsWith('FAT32');
  const fat1x = ascii(0x36, 8).startsWith('FAT');
  if (!fat32 && !fat1x) return null;
  const label = ascii(fat32 ? 0x47 : 0x2b, 11).trimEnd();
  return label === 'NO NAME' || label === '' ? null : label;
}

/** Kernel command line for a boot: speed flags measured under TCG, then the lab's own parameters. */
export function kernelCommandLine(opts: { device: BootDevice; tscKhz: number; hosts: readonly { name: string; addr: string }[]; lanAddress?: string; siteStick?: boolean }): string {
  const parts = [
    'console=ttyS0', 'quiet', 'panic=-1',
    // Without a TSC frequency the guest hangs calibrating under load (see shared/reference).
    `tsc_early_khz=${opts.tscKhz}`, 'tsc=reliable', 'no_timer_check',
    // Boot-time work that buys nothing in a lab guest under TCG.
    'mitigations=off', 'rodata=off', 'cryptomgr.notests', 'audit=0', 'nokaslr', 'init_on_alloc=0',
    'random.trust_cpu=on', 'rcupdate.rcu_expedited=1', '8250.nr_uarts=1',
    `edge.boot=${opts.device}`,
  ];
  if (opts.hosts.length) parts.push(`edge.hosts=${opts.hosts.map((h) => `${h.name}:${h.addr}`).join(',')}`);
  if (opts.lanAddress) parts.push(`edge.lan=${opts.lanAddress}`);
  // The firmware saw a site user-data stick: the OS reads it at its first boot. Told, so that a
  // boot without one does not load USB and wait for a stick on its critical path.
  if (opts.siteStick && opts.device === 'disk') parts.push('edge.cidata=1');
  return parts.join(' ');
}
