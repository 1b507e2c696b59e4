import { describe, expect, it } from 'vitest';
import { buildQemuArgs, usbStickQmp } from './args';
import type { VmLaunch } from '../types';

const base: VmLaunch = {
  name: 'host-1', cpus: 1, memoryMb: 128, kernel: '/k/vmlinux', initrd: '/k/boot.cpio', append: 'console=ttyS0 edge.boot=disk',
  smbiosUuid: '6b1f0c2e-8d4a-4c1e-9f3b-2a7d5e6c8b90',
  nic: { mac: '52:54:00:aa:00:01', forwards: [{ guestAddr: '10.0.2.100', guestPort: 80, command: ['/bin/busybox', 'nc', '127.0.0.1', '4100'] }] },
};
const facts = { tbSizeMb: 32 };
const valueOf = (args: string[], flag: string): string[] => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

describe('buildQemuArgs', () => {
  it('boots the PVH kernel under TCG with no defaults, no reboot and the host identity', () => {
    const a = buildQemuArgs(base, facts);
    expect(valueOf(a, '-accel')).toEqual(['tcg,tb-size=32']);
    expect(valueOf(a, '-machine')).toEqual(['q35']);
    expect(a).toContain('-nodefaults');
    expect(a).toContain('-no-reboot');
    expect(valueOf(a, '-kernel')).toEqual(['/k/vmlinux']);
    expect(valueOf(a, '-append')).toEqual(['console=ttyS0 edge.boot=disk']);
    expect(valueOf(a, '-smbios')[0]).toContain('uuid=6b1f0c2e-8d4a-4c1e-9f3b-2a7d5e6c8b90');
  });

  it('puts the console on stdio and QMP on inherited fd 3 (no socket files)', () => {
    const a = buildQemuArgs(base, facts);
    expect(valueOf(a, '-chardev')).toEqual(['stdio,id=console,signal=off', 'socket,id=qmp,fd=3']);
    expect(valueOf(a, '-serial')).toEqual(['chardev:console']);
    expect(valueOf(a, '-mon')).toEqual(['chardev=qmp,mode=control']);
    expect(a.join(' ')).not.toMatch(/unix:|path=/);
  });

  it('isolates the user network with restrict=on and forwards only the lab endpoints', () => {
    const [netdev] = valueOf(buildQemuArgs(base, facts), '-netdev');
    expect(netdev).toBe('user,id=wan,restrict=on,guestfwd=tcp:10.0.2.100:80-cmd:/bin/busybox nc 127.0.0.1 4100');
  });

  it('doubles commas inside option values', () => {
    const a = buildQemuArgs({ ...base, name: 'a,b', nic: { mac: base.nic.mac, forwards: [{ guestAddr: '10.0.2.100', guestPort: 80, command: ['relay', 'x,y'] }] } }, facts);
    expect(valueOf(a, '-name')).toEqual(['a,,b']);
    expect(valueOf(a, '-netdev')[0]).toContain('cmd:relay x,,y');
  });

  it('adds the qcow2 disk, a USB stick and the LAN NIC only when given', () => {
    expect(buildQemuArgs(base, facts).join(' ')).not.toMatch(/virtio-blk|usb-storage|id=lan/);
    const a = buildQemuArgs({ ...base, disk: { path: '/d/disk,1.qcow2' }, usb: { path: '/d/stick.img' }, lan: { mac: '52:54:00:bb:00:01' } }, facts);
    const blockdevs = valueOf(a, '-blockdev').map((j) => JSON.parse(j) as Record<string, unknown>);
    expect(blockdevs).toContainEqual({ driver: 'file', 'node-name': 'disk-file', filename: '/d/disk,1.qcow2' });
    expect(blockdevs).toContainEqual({ driver: 'raw', 'node-name': 'usb-drive', file: 'usb-file', 'read-only': true });
    expect(valueOf(a, '-device')).toContain('virtio-blk-pci,drive=disk,id=disk0,werror=enospc,rerror=report');
    expect(valueOf(a, '-device')).toContain('usb-storage,id=usb-stick,bus=xhci.0,drive=usb-drive,removable=on');
    expect(valueOf(a, '-netdev')[1]).toBe('stream,id=lan,server=off,addr.type=fd,addr.str=4');
    expect(valueOf(a, '-device')).toContain('virtio-net-pci,netdev=lan,mac=52:54:00:bb:00:01');
  });

  it('wires the LAN card to inherited fd 4 only: no port, no host address, no path', () => {
    // A launch saved before the LAN moved off UDP still carries its old ports; they must not reach QEMU.
    const old = { ...base, lan: { mac: '52:54:00:bb:00:01', localPort: 5001, hubPort: 5000 } } as VmLaunch;
    const lan = valueOf(buildQemuArgs(old, facts), '-netdev')[1]!;
    expect(lan).toBe('stream,id=lan,server=off,addr.type=fd,addr.str=4');
    expect(lan).not.toMatch(/dgram|inet|port|host=|path=|5001|5000/);
  });

  it('states the disk error policy: pause on a full host filesystem, report every other error to the guest', () => {
    const [disk] = valueOf(buildQemuArgs({ ...base, disk: { path: '/d/disk.qcow2' } }, facts), '-device').filter((d) => d.startsWith('virtio-blk-pci,'));
    const props = new Map(disk!.split(',').slice(1).map((kv) => kv.split('=') as [string, string]));
    expect(props.get('werror')).toBe('enospc');
    expect(props.get('rerror')).toBe('report');
    expect(props.get('drive')).toBe('disk'); // the node name BLOCK_IO_ERROR reports
  });

  it('starts the hardware clock where the launch says, and at the real time otherwise', () => {
    expect(valueOf(buildQemuArgs({ ...base, rtcBase: '2026-12-07T19:30:00' }, facts), '-rtc')).toEqual(['base=2026-12-07T19:30:00']);
    expect(buildQemuArgs(base, facts)).not.toContain('-rtc');
  });

  it('starts from a migration stream when restoring', () => {
    expect(valueOf(buildQemuArgs({ ...base, incoming: "exec:cat '/c/memory.state'" }, facts), '-incoming')).toEqual(["exec:cat '/c/memory.state'"]);
  });
});

describe('usbStickQmp', () => {
  it('describes the same stick for hot-plug as the command line does', () => {
    const q = usbStickQmp('/d/stick.img');
    expect(q.device).toEqual({ driver: 'usb-storage', id: 'usb-stick', bus: 'xhci.0', drive: 'usb-drive', removable: true });
    expect(q.blockdevs[0]).toMatchObject({ filename: '/d/stick.img', 'read-only': true });
  });
});
