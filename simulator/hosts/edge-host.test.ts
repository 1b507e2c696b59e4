import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeVmDriver, type FakeScript, type FakeVm } from '../vm/fake/fake-driver';
import { LanHub } from '../vm/lan-hub';
import type { VmLaunch } from '../vm/types';
import { USB_STICK_ID } from '../vm/qemu/args';
import type { ConsoleEvent } from '../pure/console-events';
import { EdgeHost, rtcBaseShifted, SMALL_DISK_MB, type EdgeHostSpec, type HostIoChange, type PowerChange } from './edge-host';
import { CLOCK_BEHIND_S } from '../pure/machines/host.events';
import { HostError } from './errors';
import type { HostIo } from './host-io';

/** A FAT16 boot sector carrying `label`, as mkfs.vfat writes it. */
function fatBootSector(label: string): Uint8Array {
  const b = new Uint8Array(512);
  const put = (at: number, s: string): void => { for (let i = 0; i < s.length; i++) b[at + i] = s.charCodeAt(i); };
  put(0x2b, label.padEnd(11));
  put(0x36, 'FAT16   ');
  b[510] = 0x55; b[511] = 0xaa;
  return b;
}

/** In-memory files: path → contents (only the first 512 bytes matter to the firmware). */
class MemoryIo implements HostIo {
  readonly files = new Map<string, Uint8Array>();
  /** The size each disk was made with. */
  readonly sizes = new Map<string, number>();
  async ensureDisk(path: string, sizeMb: number): Promise<void> {
    if (!this.files.has(path)) { this.files.set(path, new Uint8Array(0)); this.sizes.set(path, sizeMb); }
  }
  async readBootSector(path: string): Promise<Uint8Array | null> {
    const f = this.files.get(path);
    return f && f.length >= 512 ? f.slice(0, 512) : null;
  }
  async copy(from: string, to: string): Promise<void> { this.files.set(to, this.files.get(from)!); }
  async exists(path: string): Promise<boolean> { return this.files.has(path); }
}

const INSTALLER = '/lab/images/installer.img';
const CIDATA = '/lab/images/cidata.img';

const spec: EdgeHostSpec = {
  name: 'edge-1',
  uuid: '4c4c4544-0042-3510-8052-b4c04f4e3332',
  mac: '52:54:00:12:34:01',
  cpus: 1,
  memoryMb: 512,
  diskPath: '/lab/edge-1/disk.qcow2',
  diskSizeMb: 2048,
  images: { vmlinux: '/lab/images/vmlinux', diskBootInitrd: '/lab/images/boot-disk.cpio', usbBootInitrd: '/lab/images/boot-usb.cpio' },
  endpoints: [{ hostname: 'api.palette.lab', hostPort: 41000 }],
  relayCommand: (port) => ['relay', String(port)],
  tscKhz: 2_000_000,
};

function setup(script?: FakeScript) {
  const driver = new FakeVmDriver(script);
  const io = new MemoryIo();
  io.files.set(INSTALLER, fatBootSector('EDGEINSTALL'));
  io.files.set(CIDATA, fatBootSector('CIDATA'));
  const host = new EdgeHost(spec, driver, io);
  const powers: PowerChange[] = [];
  host.on('power', (c) => powers.push(c));
  const vm = (): FakeVm => driver.last;
  const bootOf = (i: number): string | undefined => /edge\.boot=(\w+)/.exec(driver.launches[i]?.append ?? '')?.[1];
  const nextOn = (): Promise<PowerChange> => host.waitForPower((c) => c.state === 'on', 1_000);
  return { driver, io, host, powers, vm, bootOf, nextOn };
}

/** Lets queued microtasks and I/O callbacks run (real timers only). */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

async function hostError(p: Promise<unknown>): Promise<HostError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(HostError);
  return err as HostError;
}

afterEach(() => { vi.useRealTimers(); });

describe('EdgeHost power-on and boot order', () => {
  it('boots from the disk when no stick is in', async () => {
    const { host, driver, io, powers, bootOf } = setup();
    await host.powerOn();
    expect(host.power).toBe('on');
    expect(io.files.has(spec.diskPath)).toBe(true);
    expect(driver.launches).toHaveLength(1);
    expect(bootOf(0)).toBe('disk');
    expect(driver.launches[0]).toMatchObject({ name: 'edge-1', smbiosUuid: spec.uuid, disk: { path: spec.diskPath } });
    expect(driver.launches[0]!.usb).toBeUndefined();
    expect(driver.launches[0]!.nic.forwards).toEqual([{ guestAddr: '10.0.2.100', guestPort: 80, command: ['relay', '41000'] }]);
    expect(powers).toEqual([{ state: 'on', device: 'disk', cause: 'power-on' }]);
    expect(host.pid).toBe(driver.last.pid);
  });

  it('boots the installer stick (edge.boot=usb, usb attached)', async () => {
    const { host, driver, powers, bootOf } = setup();
    await host.insertUsb(INSTALLER);
    await host.powerOn();
    expect(bootOf(0)).toBe('usb');
    expect(driver.launches[0]!.usb).toEqual({ path: INSTALLER });
    expect(powers[0]).toEqual({ state: 'on', device: 'usb', cause: 'power-on' });
  });

  it('boots the disk past a stick without the installer label, still attaching it', async () => {
    const { host, driver, bootOf } = setup();
    await host.insertUsb(CIDATA);
    await host.powerOn();
    expect(bootOf(0)).toBe('disk');
    expect(driver.launches[0]!.usb).toEqual({ path: CIDATA });
  });
});

describe('EdgeHost reboots', () => {
  it('relaunches on a guest reboot; a stick left in installs again, a removed one does not', async () => {
    const { host, driver, vm, bootOf, nextOn } = setup();
    await host.insertUsb(INSTALLER);
    await host.powerOn();

    let on = nextOn();
    vm().exit({ shutdownReason: 'guest-reset' });
    expect(await on).toEqual({ state: 'on', device: 'usb', cause: 'reboot' });
    expect(bootOf(1)).toBe('usb');

    await host.removeUsb();
    on = nextOn();
    vm().exit({ shutdownReason: 'guest-reset' });
    expect(await on).toEqual({ state: 'on', device: 'disk', cause: 'reboot' });
    expect(bootOf(2)).toBe('disk');
    expect(driver.launches[2]!.usb).toBeUndefined();
    expect(host.power).toBe('on');
  });

  it('reset() restarts the host through the boot order', async () => {
    const { host, driver, vm, bootOf, nextOn } = setup();
    await host.powerOn();
    const first = vm();
    const on = nextOn();
    await host.reset();
    expect(host.power).toBe('on'); // reset resolves once the host is back on
    expect(host.pid).not.toBe(first.pid);
    expect(first.commands.map((c) => c.command)).toEqual(['system_reset']);
    expect(await first.exited).toMatchObject({ shutdownReason: 'host-qmp-system-reset' });
    expect(await on).toEqual({ state: 'on', device: 'disk', cause: 'reboot' });
    expect(driver.launches).toHaveLength(2);
    expect(bootOf(1)).toBe('disk');
  });

  it('stays off after a guest poweroff', async () => {
    const { host, driver, vm, powers } = setup();
    await host.powerOn();
    vm().exit({ shutdownReason: 'guest-shutdown' });
    await vm().exited;
    await settle();
    expect(powers.at(-1)).toMatchObject({ state: 'off', reason: 'guest-poweroff', exit: { code: 0, shutdownReason: 'guest-shutdown' } });
    expect(host.power).toBe('off');
    expect(driver.launches).toHaveLength(1);
  });

  it('reports a crash when QEMU dies without a SHUTDOWN event', async () => {
    const { host, driver, vm, powers } = setup();
    await host.powerOn();
    vm().exit({ signal: 'SIGSEGV' });
    await settle();
    expect(powers.at(-1)).toEqual({ state: 'off', reason: 'crashed', exit: { code: null, signal: 'SIGSEGV', shutdownReason: null } });
    expect(driver.launches).toHaveLength(1);
  });
});

describe('EdgeHost power off', () => {
  it('powerOff() kills the process and reports a hard poweroff', async () => {
    const { host, vm, powers } = setup();
    await host.powerOn();
    await host.powerOff();
    expect(vm().signals).toEqual(['SIGKILL']);
    expect(host.power).toBe('off');
    expect(powers.at(-1)).toMatchObject({ state: 'off', reason: 'hard-poweroff', exit: { signal: 'SIGKILL' } });
  });

  it('shutdown() ends at the guest when it obeys the power button', async () => {
    const { host, vm, powers } = setup();
    await host.powerOn();
    expect(await host.shutdown(1_000)).toBe('guest');
    expect(vm().commands.map((c) => c.command)).toEqual(['system_powerdown']);
    expect(vm().signals).toEqual([]);
    expect(powers.at(-1)).toMatchObject({ state: 'off', reason: 'guest-poweroff' });
    expect(await host.shutdown()).toBe('already-off');
  });

  it('shutdown() sends SIGTERM after the grace period when the guest ignores the button', async () => {
    vi.useFakeTimers();
    const { host, vm, powers } = setup((_l, v) => { v.ignorePowerButton = true; });
    await host.powerOn();
    const result = host.shutdown(5_000);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(vm().signals).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(await result).toBe('sigterm');
    expect(vm().signals).toEqual(['SIGTERM']);
    expect(powers.at(-1)).toMatchObject({ state: 'off', reason: 'hard-poweroff', exit: { signal: 'SIGTERM' } });
  });

  it('shutdown() escalates to SIGKILL when SIGTERM is ignored too', async () => {
    vi.useFakeTimers();
    const { host, vm, driver } = setup((_l, v) => { v.ignorePowerButton = true; v.ignoreSignals = ['SIGTERM']; });
    await host.powerOn();
    const result = host.shutdown(5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(vm().signals).toEqual(['SIGTERM']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await result).toBe('sigkill');
    expect(vm().signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(host.power).toBe('off');
    expect(driver.launches).toHaveLength(1);
  });
});

describe('EdgeHost paused on a disk error', () => {
  function paused(script?: FakeScript) {
    const s = setup(script);
    const io: HostIoChange[] = [];
    s.host.on('io', (c) => io.push(c));
    return { ...s, io };
  }
  const FULL = { state: 'paused', device: 'disk', operation: 'write', nospace: true, reason: 'No space left on device' } as const;

  it('reports a pause once per stop, however many requests failed, and resume() runs it on', async () => {
    const { host, vm, io } = paused();
    await host.powerOn();
    expect(host.ioPaused).toBeNull();
    vm().ioError();
    vm().ioError(); // a second in-flight write failing in the same pause
    expect(io).toEqual([FULL]);
    expect(host.ioPaused).toEqual(FULL);
    expect(host.power).toBe('on');

    await host.resume();
    expect(vm().commands.map((c) => c.command)).toEqual(['cont']);
    expect(io).toEqual([FULL, { state: 'resumed' }]);
    expect(host.ioPaused).toBeNull();
    expect(vm().status).toBe('running');
  });

  it('pauses again when the disk is still full at resume (QEMU retries the write)', async () => {
    const { host, vm, io } = paused((_l, v) => {
      v.respond('cont', (_a, me) => {
        me.status = 'running';
        me.emitEvent('RESUME');
        void Promise.resolve().then(() => me.ioError()); // the retried write fails again
        return {};
      });
    });
    await host.powerOn();
    vm().ioError();
    await host.resume();
    await settle();
    expect(io).toEqual([FULL, { state: 'resumed' }, FULL]);
    expect(host.ioPaused).toEqual(FULL);
    expect(vm().status).toBe('io-error');
  });

  it('ignores errors QEMU reports to the guest, and a stop/cont nobody reported as a disk error', async () => {
    const { host, vm, io } = paused();
    await host.powerOn();
    vm().ioError({ action: 'report', nospace: false, reason: 'Input/output error' });
    await vm().execute('stop');
    await vm().execute('cont'); // a checkpoint's pause: RESUME without a disk error
    expect(io).toEqual([]);
    expect(host.ioPaused).toBeNull();
  });

  it('names the disk by its node, and keeps a non-ENOSPC stop as nospace=false', async () => {
    const { host, vm } = paused();
    await host.powerOn();
    vm().ioError({ device: '', 'node-name': 'disk', operation: 'write', nospace: false, reason: 'Input/output error' });
    expect(host.ioPaused).toEqual({ state: 'paused', device: 'disk', operation: 'write', nospace: false, reason: 'Input/output error' });
  });

  it('refuses resume() when off or not paused, with typed errors', async () => {
    const { host, vm } = paused();
    expect((await hostError(host.resume())).code).toBe('not-on');
    await host.powerOn();
    expect((await hostError(host.resume())).code).toBe('not-paused');
    expect(vm().commands.map((c) => c.command)).toEqual(['query-status']); // no cont sent
  });

  it('resumes a VM QEMU says is in io-error though no pause was reported (restored paused)', async () => {
    const { host, vm, io } = paused();
    await host.powerOn();
    vm().status = 'io-error';
    await host.resume();
    expect(vm().commands.map((c) => c.command)).toEqual(['query-status', 'cont']);
    expect(vm().status).toBe('running');
    expect(io).toEqual([]);
  });

  it('powerOff() cuts a paused host; the pause ends with the power, without a resumed event', async () => {
    const { host, vm, io, powers } = paused();
    await host.powerOn();
    vm().ioError();
    await host.powerOff();
    expect(vm().signals).toEqual(['SIGKILL']);
    expect(host.ioPaused).toBeNull();
    expect(io).toEqual([FULL]);
    expect(powers.at(-1)).toMatchObject({ state: 'off', reason: 'hard-poweroff' });
    expect((await hostError(host.resume())).code).toBe('not-on');
  });

  it('shutdown() of a paused host goes straight to SIGTERM: a stopped guest cannot answer the button', async () => {
    vi.useFakeTimers();
    const { host, vm } = paused();
    await host.powerOn();
    vm().ioError();
    const result = host.shutdown(10_000);
    await vi.advanceTimersByTimeAsync(0);
    expect(await result).toBe('sigterm');
    expect(vm().signals).toEqual(['SIGTERM']);
    expect(vm().commands.map((c) => c.command)).toEqual([]);
    expect(host.power).toBe('off');
  });

  it('shutdown() of a paused host that ignores SIGTERM still ends, by SIGKILL, in bounded time', async () => {
    vi.useFakeTimers();
    const { host, vm } = paused((_l, v) => { v.ignoreSignals = ['SIGTERM']; });
    await host.powerOn();
    vm().ioError();
    const result = host.shutdown(10_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await result).toBe('sigkill');
    expect(vm().signals).toEqual(['SIGTERM', 'SIGKILL']);
  });

  it('a guest stopped by other means (checkpoint pause) falls through the button to SIGTERM after the grace', async () => {
    vi.useFakeTimers();
    const { host, vm } = paused();
    await host.powerOn();
    await vm().execute('stop'); // paused, not on a disk error: the fake guest ignores the button like QEMU's
    const result = host.shutdown(3_000);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await result).toBe('sigterm');
    expect(vm().commands.map((c) => c.command)).toEqual(['stop', 'system_powerdown']);
  });

  it('a reboot starts unpaused: a pause belongs to one process', async () => {
    const { host, vm, nextOn } = paused();
    await host.powerOn();
    vm().ioError();
    const on = nextOn();
    await host.reset();
    await on;
    expect(host.ioPaused).toBeNull();
  });
});

describe('EdgeHost USB stick hot-plug', () => {
  it('hot-plugs a stick into a running host; the next reboot boots it', async () => {
    const { host, vm, bootOf, nextOn, driver } = setup();
    await host.powerOn();
    await host.insertUsb(INSTALLER);
    expect(host.usbStick).toBe(INSTALLER);
    expect(vm().commands).toEqual([
      { command: 'blockdev-add', args: expect.objectContaining({ 'node-name': 'usb-file', filename: INSTALLER }) },
      { command: 'blockdev-add', args: expect.objectContaining({ 'node-name': 'usb-drive', file: 'usb-file' }) },
      { command: 'device_add', args: expect.objectContaining({ driver: 'usb-storage', id: USB_STICK_ID, drive: 'usb-drive' }) },
    ]);
    expect(host.current()?.launch.usb).toEqual({ path: INSTALLER });
    const on = nextOn();
    vm().exit({ shutdownReason: 'guest-reset' });
    expect(await on).toMatchObject({ device: 'usb' });
    expect(bootOf(1)).toBe('usb');
    expect(driver.launches[1]!.usb).toEqual({ path: INSTALLER });
  });

  it('unplugs only after the guest releases the stick (DEVICE_DELETED), then deletes the block nodes', async () => {
    let release = (): void => {};
    const { host, vm } = setup((_l, v) => {
      // The guest takes its time to let go of the device.
      v.respond('device_del', (args, me) => { release = () => me.emitEvent('DEVICE_DELETED', { device: args?.id }); return {}; });
    });
    await host.insertUsb(INSTALLER);
    await host.powerOn();
    let done = false;
    const removing = host.removeUsb().then(() => { done = true; });
    await settle();
    expect(done).toBe(false);
    expect(vm().commands.map((c) => c.command)).toEqual(['device_del']);
    release();
    await removing;
    expect(vm().commands).toEqual([
      { command: 'device_del', args: { id: USB_STICK_ID } },
      { command: 'blockdev-del', args: { 'node-name': 'usb-drive' } },
      { command: 'blockdev-del', args: { 'node-name': 'usb-file' } },
    ]);
    expect(host.usbStick).toBeNull();
    expect(host.current()?.launch.usb).toBeUndefined();
  });

  it('a refused device_del fails removeUsb without leaving an unhandled rejection behind', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
    process.on('unhandledRejection', onUnhandled);
    try {
      const { host, vm } = setup((_l, v) => v.respond('device_del', () => { throw new Error('DeviceNotFound'); }));
      await host.insertUsb(INSTALLER);
      await host.powerOn();
      await expect(host.removeUsb()).rejects.toThrow('DeviceNotFound');
      expect(host.usbStick).toBe(INSTALLER);
      await host.powerOff(); // QMP closes: the DEVICE_DELETED waiter rejects
      expect(vm().hasExited).toBe(true);
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('EdgeHost network cable', () => {
  it('pulls the site NIC\'s link down while on, keeps it down across a reboot, and puts it back', async () => {
    const { host, driver, vm, nextOn } = setup();
    await host.powerOn();
    expect(vm().linkUp.get('wan')).toBeUndefined(); // QEMU starts every link up; nothing was set

    await host.setCable(false);
    expect(host.cablePlugged).toBe(false);
    expect(vm().commands.at(-1)).toEqual({ command: 'set_link', args: { name: 'wan', up: false } });
    expect(vm().linkUp.get('wan')).toBe(false);

    // The cable belongs to the box: the next process starts link-down too.
    const on = nextOn();
    vm().exit({ shutdownReason: 'guest-reset' });
    await on;
    expect(driver.vms).toHaveLength(2);
    expect(vm().linkUp.get('wan')).toBe(false);

    await host.setCable(true);
    expect(vm().linkUp.get('wan')).toBe(true);
    expect(host.cablePlugged).toBe(true);
  });

  it('records the cable while off, and the next power-on starts with the link as the cable says', async () => {
    const { host, driver, vm } = setup();
    await host.setCable(false);
    expect(driver.vms).toHaveLength(0);
    await host.powerOn();
    expect(vm().linkUp.get('wan')).toBe(false);
    await host.powerOff();
    await host.setCable(true);
    await host.powerOn();
    expect(vm().commands.some((c) => c.command === 'set_link')).toBe(false);
  });
});

describe('EdgeHost small disk (the disk drill)', () => {
  it('boots the small disk beside its own while it is in, only swapped with the power off', async () => {
    const io = new MemoryIo();
    const driver = new FakeVmDriver();
    const host = new EdgeHost(spec, driver, io);
    await host.setSmallDisk(true);
    await host.powerOn();
    expect(driver.launches.at(-1)!.disk?.path).toBe('/lab/edge-1/disk-small.qcow2');
    expect(io.sizes.get('/lab/edge-1/disk-small.qcow2')).toBe(SMALL_DISK_MB);
    expect((await hostError(host.setSmallDisk(false))).code).toBe('not-off');
    expect(host.smallDisk).toBe(true);
    await host.powerOff();
    await host.setSmallDisk(false);
    await host.powerOn();
    // Its own disk again, as it was: the small one only sat beside it.
    expect(driver.launches.at(-1)!.disk?.path).toBe('/lab/edge-1/disk.qcow2');
    expect(io.sizes.get('/lab/edge-1/disk.qcow2')).toBe(spec.diskSizeMb);
    await host.powerOff();
  });
});

describe('EdgeHost hardware clock (the clock drill)', () => {
  it('boots with the clock 3 hours behind while it is set so, only set with the power off', async () => {
    const driver = new FakeVmDriver();
    const host = new EdgeHost(spec, driver, new MemoryIo());
    await host.powerOn();
    expect(driver.launches.at(-1)!.rtcBase).toBeUndefined();
    expect((await hostError(host.setClockBehind(true))).code).toBe('not-off');
    await host.powerOff();
    await host.setClockBehind(true);
    const before = Date.now();
    await host.powerOn();
    const base = Date.parse(`${driver.launches.at(-1)!.rtcBase!}Z`);
    expect(before - base).toBeGreaterThan(CLOCK_BEHIND_S * 1000 - 2_000);
    expect(Date.now() - base).toBeLessThan(CLOCK_BEHIND_S * 1000 + 2_000);
    expect(host.clockBehind).toBe(true);
    await host.powerOff();
    await host.setClockBehind(false);
    await host.powerOn();
    expect(driver.launches.at(-1)!.rtcBase).toBeUndefined();
    await host.powerOff();
  });

  it('writes the RTC base as QEMU takes it: UTC, whole seconds', () => {
    expect(rtcBaseShifted(Date.UTC(2026, 11, 7, 16, 40, 5, 900), 3600)).toBe('2026-12-07T17:40:05');
    expect(rtcBaseShifted(Date.UTC(2026, 11, 7, 1, 40, 5, 900), -3 * 3600)).toBe('2026-12-06T22:40:05');
  });
});

describe('EdgeHost errors', () => {
  it('refuses a second stick, removing none, powering on twice and a missing image', async () => {
    const { host, driver } = setup();
    expect((await hostError(host.removeUsb())).code).toBe('no-usb-stick');
    expect((await hostError(host.insertUsb('/lab/images/missing.img'))).code).toBe('usb-image-missing');
    await host.insertUsb(INSTALLER);
    expect((await hostError(host.insertUsb(CIDATA))).code).toBe('usb-already-inserted');
    expect(host.usbStick).toBe(INSTALLER);
    await host.powerOn();
    expect((await hostError(host.powerOn())).code).toBe('already-on');
    expect(driver.launches).toHaveLength(1);
  });

  it('refuses host operations while off', async () => {
    const { host } = setup();
    expect((await hostError(host.reset())).code).toBe('not-on');
    expect((await hostError(host.pressPowerButton())).code).toBe('not-on');
  });

  it('passes a refused launch on and stays off', async () => {
    const { host } = setup(() => { throw new Error('qemu: could not open disk'); });
    await expect(host.powerOn()).rejects.toThrow('could not open disk');
    expect(host.power).toBe('off');
  });
});

describe('EdgeHost console', () => {
  it('keeps console bytes, parses EDGE-EVENT lines and forwards typed input', async () => {
    const { host, vm } = setup((_l, v) => v.printConsole('Booting the kernel\r\nEDGE-EVENT firmware.boot device=disk\r\n'));
    const events: ConsoleEvent[] = [];
    host.on('event', (e) => events.push(e));
    await host.powerOn();
    expect(events).toEqual([{ type: 'firmware.boot', device: 'disk' }]);

    const ready = host.waitForEvent('agent.ready', 1_000);
    vm().printConsole('EDGE-EVENT agent.rea');
    vm().printConsole('dy host_id=edge-4c4c ip=10.0.2.15 mac=52:54:00:12:34:01\n');
    expect(await ready).toEqual({ type: 'agent.ready', hostId: 'edge-4c4c', ip: '10.0.2.15', mac: '52:54:00:12:34:01' });
    expect(host.console.text()).toBe('Booting the kernel\r\nEDGE-EVENT firmware.boot device=disk\r\nEDGE-EVENT agent.ready host_id=edge-4c4c ip=10.0.2.15 mac=52:54:00:12:34:01\n');
    expect(new TextDecoder().decode(host.console.history())).toBe(host.console.text());

    host.writeConsole('root\n');
    expect(vm().consoleInput).toBe('root\n');
  });

  it('turns a machine-readable install failure into a host fault, cleared at the next power-on', async () => {
    const { host, vm } = setup();
    const faults: unknown[] = [];
    host.on('fault', (f) => faults.push(f));
    await host.powerOn();
    expect(host.fault).toBeNull();
    vm().printConsole('EDGE-EVENT install.failed reason=disk-too-small need_mb=544 have_mb=256 t=5.1\n');
    expect(host.fault).toEqual({ code: 'install-failed', reason: 'disk-too-small', detail: { need_mb: '544', have_mb: '256', t: '5.1' } });
    expect(faults).toHaveLength(1);
    await host.powerOff();
    await host.powerOn();
    expect(host.fault).toBeNull();
  });

  it('waitForEvent times out with a HostError', async () => {
    vi.useFakeTimers();
    const { host } = setup();
    await host.powerOn();
    const waiting = hostError(host.waitForEvent('os.booted', 500));
    await vi.advanceTimersByTimeAsync(500);
    expect((await waiting).code).toBe('timeout');
  });
});

describe('EdgeHost LAN card', () => {
  /** Two hosts on one hub, each with its own fake driver. */
  function lanPair() {
    const hub = new LanHub();
    const make = (n: number) => {
      const driver = new FakeVmDriver();
      const host = new EdgeHost({ ...spec, name: `edge-${n}`, diskPath: `/lab/edge-${n}.qcow2`, lan: { mac: `52:54:00:b0:00:0${n}`, address: `10.77.0.1${n}/24`, hub } }, driver, new MemoryIo());
      return { driver, host };
    };
    return { hub, a: make(1), b: make(2) };
  }
  const until = (cond: () => boolean): Promise<void> => vi.waitFor(() => { if (!cond()) throw new Error('not yet'); }, { timeout: 1_000, interval: 2 });

  it('plugs each running host into the hub, so frames pass between them, and unplugs it when its process ends', async () => {
    const { hub, a, b } = lanPair();
    await a.host.powerOn();
    await b.host.powerOn();
    expect(a.driver.last.launch.lan).toEqual({ mac: '52:54:00:b0:00:01' });
    expect(a.driver.last.launch.append).toContain('edge.lan=10.77.0.11/24');
    expect(hub.peerNames).toEqual(['edge-1', 'edge-2']);

    a.driver.last.sendLanFrame(Buffer.from('hello-from-1'));
    await until(() => b.driver.last.lanInbox.length === 1);
    expect(b.driver.last.lanInbox.map(String)).toEqual(['hello-from-1']);
    expect(a.driver.last.lanInbox).toEqual([]);

    await a.host.powerOff();
    await until(() => hub.peerNames.length === 1);
    expect(hub.peerNames).toEqual(['edge-2']);

    // A guest reboot is a new process: its new card is plugged in again.
    b.driver.last.exit({ shutdownReason: 'guest-reset' });
    await b.host.waitForPower((c) => c.state === 'on', 1_000);
    await until(() => hub.peerNames.length === 1 && b.driver.vms.length === 2);
    await a.host.powerOn();
    b.driver.last.sendLanFrame(Buffer.from('after-reboot'));
    await until(() => a.driver.last.lanInbox.length === 1);
    expect(a.driver.last.lanInbox.map(String)).toEqual(['after-reboot']);
    expect(hub.peerNames.sort()).toEqual(['edge-1', 'edge-2']);
  });

  it('restores a launch saved with the old UDP ports: the ports are dropped, the card is plugged in', async () => {
    const { hub, a, b } = lanPair();
    await b.host.powerOn();
    const saved = { ...a.host.launchFor('disk'), lan: { mac: '52:54:00:b0:00:01', localPort: 40001, hubPort: 40000 } } as VmLaunch;
    await a.host.startFrom(JSON.parse(JSON.stringify(saved)) as VmLaunch, 'exec:cat /memory');
    expect(a.driver.last.launch.lan).toEqual({ mac: '52:54:00:b0:00:01' });
    expect(a.host.current()!.launch.lan).toEqual({ mac: '52:54:00:b0:00:01' });
    expect(hub.peerNames.sort()).toEqual(['edge-1', 'edge-2']);
    b.driver.last.sendLanFrame(Buffer.from('to-restored'));
    await until(() => a.driver.last.lanInbox.length === 1);
  });
});
