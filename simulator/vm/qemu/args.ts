import type { VmLaunch } from '../types';

/** Host facts the arguments depend on, probed once elsewhere (never here). */
export interface QemuHostFacts {
  /** TCG translation cache in MiB; smaller saves RSS per VM at a small speed cost. */
  tbSizeMb: number;
}

const comma = (s: string): string => s.replace(/,/g, ',,');

/** Inherited fd of the LAN card's wire (a socketpair end), when the launch has a LAN. */
export const LAN_FD = 4;

/** qdev id of the host's disk; its block node is named `disk` (BLOCK_IO_ERROR's `node-name`). */
export const DISK_DEVICE_ID = 'disk0';

/**
 * What QEMU does when a write or read of the host's disk file fails: a contract
 * (../../hosts/edge-host.ts relies on it), not QEMU's default left implicit.
 * - werror=enospc: a write that fails because the host's filesystem is full
 *   pauses the VM (QMP BLOCK_IO_ERROR action 'stop', nospace true, then STOP;
 *   query-status 'io-error'). The guest sees no error; QEMU keeps the failed
 *   request and retries it on `cont`, so freeing space and resuming loses
 *   nothing (the case QEMU's policy exists for: thin disks grown on demand).
 *   If the disk is still full the retry pauses the VM again.
 * - Not werror=stop: any other write error (EIO from a failing host disk,
 *   EDQUOT, EACCES) is reported to the guest instead of pausing it. Resuming
 *   would not fix those, so a paused host would sit there for ever; reported,
 *   the installer or OS fails visibly on the console (install.failed).
 * - rerror=report: a read needs no space; a failed read is the guest's to see.
 */
export const DISK_ERROR_POLICY = 'werror=enospc,rerror=report';

/**
 * QEMU command line for a launch. Pure. Conventions the driver relies on:
 * serial console on stdio, QMP on inherited fd 3 (no socket files to leak),
 * the LAN card's stream on inherited fd 4 (no port: nothing else can reach it),
 * `-no-reboot` so every reset ends the process and the host's firmware logic
 * chooses the boot device again, and no default devices.
 */
export function buildQemuArgs(l: VmLaunch, facts: QemuHostFacts): string[] {
  const args = [
    '-name', comma(l.name),
    '-accel', `tcg,tb-size=${facts.tbSizeMb}`,
    '-machine', 'q35',
    '-smp', String(l.cpus),
    '-m', String(l.memoryMb),
    '-nodefaults', '-no-user-config', '-display', 'none', '-no-reboot',
    '-smbios', `type=1,uuid=${l.smbiosUuid},manufacturer=Edge Lab,product=Virtual Edge Host`,
    '-kernel', l.kernel,
    '-initrd', l.initrd,
    '-append', l.append,
    '-chardev', 'stdio,id=console,signal=off',
    '-serial', 'chardev:console',
    '-chardev', 'socket,id=qmp,fd=3',
    '-mon', 'chardev=qmp,mode=control',
    '-device', 'virtio-balloon-pci,id=balloon0,free-page-reporting=on',
    '-device', 'qemu-xhci,id=xhci',
  ];
  if (l.disk) {
    args.push(
      '-blockdev', JSON.stringify({ driver: 'file', 'node-name': 'disk-file', filename: l.disk.path }),
      '-blockdev', JSON.stringify({ driver: 'qcow2', 'node-name': 'disk', file: 'disk-file' }),
      '-device', `virtio-blk-pci,drive=disk,id=${DISK_DEVICE_ID},${DISK_ERROR_POLICY}`,
    );
  }
  if (l.usb) args.push(...usbStickArgs(l.usb.path));
  const fwds = l.nic.forwards.map((f) => `,guestfwd=tcp:${f.guestAddr}:${f.guestPort}-cmd:${comma(f.command.join(' '))}`).join('');
  args.push('-netdev', `user,id=${WAN_NETDEV_ID},restrict=on${fwds}`, '-device', `virtio-net-pci,netdev=${WAN_NETDEV_ID},mac=${l.nic.mac}`);
  if (l.lan) {
    args.push(
      // A connected stream on an inherited socketpair: frames come only from the other end, the lab's hub.
      '-netdev', `stream,id=lan,server=off,addr.type=fd,addr.str=${LAN_FD}`,
      '-device', `virtio-net-pci,netdev=lan,mac=${l.lan.mac}`,
    );
  }
  if (l.rtcBase) args.push('-rtc', `base=${l.rtcBase}`);
  if (l.incoming) args.push('-incoming', l.incoming);
  return args;
}

export const USB_STICK_ID = 'usb-stick';
/** The site NIC's netdev (user networking to the host's own Palette endpoint); QMP set_link on it pulls the cable. */
export const WAN_NETDEV_ID = 'wan';

/** The same stick as QMP objects, for hot-plugging (blockdev-add + device_add). */
export function usbStickQmp(path: string): { blockdevs: object[]; device: Record<string, unknown> } {
  return {
    blockdevs: [
      { driver: 'file', 'node-name': 'usb-file', filename: path, 'read-only': true },
      { driver: 'raw', 'node-name': 'usb-drive', file: 'usb-file', 'read-only': true },
    ],
    device: { driver: 'usb-storage', id: USB_STICK_ID, bus: 'xhci.0', drive: 'usb-drive', removable: true },
  };
}

function usbStickArgs(path: string): string[] {
  const { blockdevs, device } = usbStickQmp(path);
  return [
    ...blockdevs.flatMap((b) => ['-blockdev', JSON.stringify(b)]),
    '-device', `usb-storage,id=${device.id},bus=xhci.0,drive=usb-drive,removable=on`,
  ];
}
