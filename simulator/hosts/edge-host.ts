import { EventEmitter } from 'node:events';
import type { QmpBlockIoError, QmpEventMessage, VmDriver, VmExit, VmLaunch, VmProcess } from '../vm/types';
import type { LanSegment } from '../vm/lan-hub';
import { usbStickQmp, USB_STICK_ID, WAN_NETDEV_ID } from '../vm/qemu/args';
import { ConsoleLineSplitter, parseConsoleLine, type ConsoleEvent } from '../pure/console-events';
import { CLOCK_BEHIND_S } from '../pure/machines/host.events';
import { chooseBootDevice, fatVolumeLabel, kernelCommandLine, SITE_VOLUME_LABEL, type BootDevice } from './boot-order';
import { ConsoleBuffer } from './console-buffer';
import { HostError } from './errors';
import type { HostIo } from './host-io';

/** Guest-side address of the first lab endpoint; further endpoints take the next addresses. */
export const ENDPOINT_GUEST_BASE = '10.0.2.100';

/** The relay every lab uses: busybox nc carries one guest connection to a loopback port. */
/** The drill's small disk (Troubleshooting, "disk too small"): below the installer's minimum (MIN_DISK_MB in images/forge.ts, 548 MiB). */
export const SMALL_DISK_MB = 256;
/** QEMU's `-rtc base=` for a clock `shiftS` from `nowMs` (negative: behind): UTC, whole seconds. */
export const rtcBaseShifted = (nowMs: number, shiftS: number): string => new Date(nowMs + shiftS * 1000).toISOString().slice(0, 19);
/** Where a host's small disk lives: beside its own disk. */
export const smallDiskPathOf = (diskPath: string): string => diskPath.replace(/(\.qcow2)?$/, '-small.qcow2');
export const loopbackRelay = (hostPort: number): string[] => ['/bin/busybox', 'nc', '127.0.0.1', String(hostPort)];

/** Everything that makes one virtual edge host; stable for the host's whole life. */
export interface EdgeHostSpec {
  name: string;
  /** SMBIOS product UUID and NIC MAC: the hardware identity the agent derives its ID from. */
  uuid: string;
  mac: string;
  cpus: number;
  memoryMb: number;
  diskPath: string;
  diskSizeMb: number;
  images: { vmlinux: string; diskBootInitrd: string; usbBootInitrd: string };
  /** Lab endpoints (simulated Palette, registry…): a guest reaches each name, and nothing else. */
  endpoints: readonly { hostname: string; hostPort: number }[];
  /** Program that relays one guest connection to a loopback port (stdin/stdout). */
  relayCommand: (hostPort: number) => string[];
  /** A NIC on the lab LAN: its MAC, its address (IP/prefix) and the hub its card is plugged into while on. */
  lan?: { mac: string; address: string; hub: LanSegment };
  tscKhz: number;
  /** Appended to the kernel command line (e.g. `edge.trace=1` when profiling boots). */
  extraKernelArgs?: string;
}

export type PowerState = 'off' | 'on';
export type OffReason = 'guest-poweroff' | 'hard-poweroff' | 'crashed';
export type PowerChange =
  | { state: 'on'; device: BootDevice; cause: 'power-on' | 'reboot' | 'restore' }
  | { state: 'off'; reason: OffReason; exit: VmExit };

/** A failure the guest reported in machine-readable form; the host is in an error state until the next power-on. */
export interface HostFault {
  code: 'install-failed' | 'no-bootable-device';
  reason: string;
  detail: Record<string, string>;
}

/**
 * The VM stopped because a request to its disk failed (QEMU's BLOCK_IO_ERROR
 * with action 'stop'). Under the disk's error policy (../vm/qemu/args.ts) that
 * happens only when the host's filesystem is full, so `nospace` is true in
 * practice. The guest is frozen, not broken: free space, then `resume()`.
 */
export interface HostIoPause {
  state: 'paused';
  /** The disk's block node as QEMU names it (`disk`). */
  device: string;
  operation: 'read' | 'write';
  /** The host's filesystem is full (ENOSPC). */
  nospace: boolean;
  /** QEMU's text for the error, e.g. "No space left on device". */
  reason: string;
}
/** A pause ended: the VM runs again (it may pause again at once if the disk is still full). */
export interface HostIoResumed { state: 'resumed' }
export type HostIoChange = HostIoPause | HostIoResumed;

interface HostEvents {
  console: [Uint8Array];
  event: [ConsoleEvent];
  power: [PowerChange];
  fault: [HostFault];
  /** Paused on a disk error / running again. A pause that ends with the power (off, reset) gets no 'resumed': the 'power' event says it. */
  io: [HostIoChange];
}

/**
 * A virtual edge host: power, firmware boot order, USB stick, console.
 * Every reset ends the QEMU process (-no-reboot) and this class powers the
 * host on again with the boot device chosen afresh, as firmware would.
 * Operations are serialised; the process is always reaped.
 */
export class EdgeHost extends EventEmitter<HostEvents> {
  readonly console = new ConsoleBuffer();
  private proc: VmProcess | null = null;
  private launch: VmLaunch | null = null;
  private stick: string | null = null;
  private cable = true;
  private smallDiskIn = false;
  private clockBehindOn = false;
  private intentionalStop = false;
  private queue: Promise<unknown> = Promise.resolve();
  private splitter = new ConsoleLineSplitter();
  private currentFault: HostFault | null = null;
  private ioPause: HostIoPause | null = null;

  constructor(readonly spec: EdgeHostSpec, private readonly driver: VmDriver, private readonly io: HostIo) {
    super();
  }

  get power(): PowerState { return this.proc ? 'on' : 'off'; }
  get usbStick(): string | null { return this.stick; }
  /** The site NIC's cable is in (true) or pulled out; it stays so across power cycles. */
  get cablePlugged(): boolean { return this.cable; }
  /** The drill's small disk is in place of the host's own (setSmallDisk). */
  get smallDisk(): boolean { return this.smallDiskIn; }
  /** Its hardware clock is set CLOCK_BEHIND_S behind (setClockBehind). */
  get clockBehind(): boolean { return this.clockBehindOn; }
  /** The disk in the host now: its own, or the drill's small one beside it. */
  get diskPathNow(): string { return this.smallDiskIn ? smallDiskPathOf(this.spec.diskPath) : this.spec.diskPath; }
  get pid(): number | undefined { return this.proc?.pid; }
  /** The last failure the guest reported since it was powered on, if any. */
  get fault(): HostFault | null { return this.currentFault; }
  /** Set while the VM is paused on a disk error (see HostIoPause); null when running or off. */
  get ioPaused(): HostIoPause | null { return this.ioPause; }

  /** Powers on; the firmware boots a bootable USB stick first, else the disk. */
  powerOn(): Promise<void> {
    return this.serial(async () => {
      if (this.proc) throw new HostError('already-on', `${this.spec.name} is already powered on.`);
      await this.io.ensureDisk(this.diskPathNow, this.smallDiskIn ? SMALL_DISK_MB : this.spec.diskSizeMb);
      await this.boot('power-on');
    });
  }

  /** Presses the ACPI power button: the guest decides to shut down. */
  pressPowerButton(): Promise<void> {
    return this.serial(async () => { await this.running().execute('system_powerdown'); });
  }

  /** The reset button: the host restarts at once and boots by the boot order; resolves once it is on again. */
  async reset(): Promise<void> {
    if (!this.proc) throw new HostError('not-on', `${this.spec.name} is powered off; power it on first.`);
    const back = this.waitForPower(() => true, 60_000);
    back.catch(() => {}); // observed below; a failed reset must not leave it unhandled
    await this.serial(async () => {
      const proc = this.running();
      await proc.execute('system_reset');
      await proc.exited; // the exit handler powers on again
    });
    const change = await back;
    if (change.state === 'off') throw new HostError('not-on', `${this.spec.name} did not come back after the reset (${change.reason}).`);
  }

  /**
   * Lets a host paused on a disk error run on (QMP `cont`): QEMU retries the
   * failed request, so nothing the guest wrote is lost. If the disk is still
   * full it pauses again at once and 'io' reports a new pause. Resolves once
   * QEMU has resumed it (after 'io' { state: 'resumed' }). HostError 'not-on'
   * when off, 'not-paused' when it is not paused on a disk error.
   */
  resume(): Promise<void> {
    return this.serial(async () => {
      const proc = this.running();
      // A VM restored from a memory stream saved while it was paused arrives in
      // 'io-error' without a BLOCK_IO_ERROR of its own: QEMU's status decides.
      if (!this.ioPause && (await proc.execute<{ status?: string }>('query-status')).status !== 'io-error') {
        throw new HostError('not-paused', `${this.spec.name} is not paused on a disk error; there is nothing to resume.`);
      }
      await proc.execute('cont');
    });
  }

  /** Cuts the power: the process is killed and reaped. */
  powerOff(): Promise<void> {
    return this.serial(() => this.kill('SIGKILL'));
  }

  /**
   * Stepped shutdown: power button, wait `graceMs`, then SIGTERM, then SIGKILL.
   * Resolves with the step that ended the process; always reaps it. A VM
   * paused on a disk error runs no guest code, so nobody would answer the
   * button: it starts at SIGTERM (QEMU exits on it while paused).
   */
  shutdown(graceMs = 10_000): Promise<'guest' | 'sigterm' | 'sigkill' | 'already-off'> {
    return this.serial(async () => {
      const proc = this.proc;
      if (!proc) return 'already-off' as const;
      this.intentionalStop = true;
      if (!this.ioPause) {
        await proc.execute('system_powerdown').catch(() => {});
        if (await exitsWithin(proc, graceMs)) return 'guest' as const;
      }
      proc.kill('SIGTERM');
      if (await exitsWithin(proc, 2_000)) return 'sigterm' as const;
      proc.kill('SIGKILL');
      await proc.exited;
      return 'sigkill' as const;
    });
  }

  /** Inserts a USB stick image; hot-plugged when the host is on. */
  insertUsb(imagePath: string): Promise<void> {
    return this.serial(async () => {
      if (this.stick) throw new HostError('usb-already-inserted', `${this.spec.name} already has a USB stick (${this.stick}); remove it first.`);
      if (!(await this.io.exists(imagePath))) throw new HostError('usb-image-missing', `USB image ${imagePath} does not exist; build it with \`edge-lab forge\`.`);
      if (this.proc) {
        const { blockdevs, device } = usbStickQmp(imagePath);
        for (const b of blockdevs) await this.proc.execute('blockdev-add', b);
        await this.proc.execute('device_add', device);
        this.launch = { ...this.launch!, usb: { path: imagePath } };
      }
      this.stick = imagePath;
    });
  }

  /**
   * Pulls the site NIC's cable out (false) or puts it back (true): QEMU sets that NIC's link down
   * or up, and the guest sees its carrier go. Off, it only records where the cable is; each boot
   * (and a restore) starts with the link as the cable says. Idempotent.
   */
  setCable(plugged: boolean): Promise<void> {
    return this.serial(async () => {
      this.cable = plugged;
      if (this.proc) await this.proc.execute('set_link', { name: WAN_NETDEV_ID, up: plugged });
    });
  }

  /**
   * Swaps the drill's small disk (SMALL_DISK_MB, below the installer's minimum) in place of the
   * host's own (true), or the host's own back (false). Only with the power off. The host's own
   * disk is set aside untouched, so putting it back brings back what was on it. Idempotent.
   */
  setSmallDisk(small: boolean): Promise<void> {
    return this.serial(async () => {
      if (this.proc) throw new HostError('not-off', `${this.spec.name} is powered on; power it off before swapping its disk.`);
      this.smallDiskIn = small;
    });
  }

  /**
   * Sets the host's hardware clock CLOCK_BEHIND_S behind the real time (true) or right (false),
   * as in its firmware setup: only with the power off. Every boot from then on starts with it; a
   * clock the OS sets later (NTP) is not written back. Idempotent.
   */
  setClockBehind(behind: boolean): Promise<void> {
    return this.serial(async () => {
      if (this.proc) throw new HostError('not-off', `${this.spec.name} is powered on; power it off before setting its hardware clock.`);
      this.clockBehindOn = behind;
    });
  }

  /** Pulls the USB stick out; waits for the guest to release it when on. */
  removeUsb(): Promise<void> {
    return this.serial(async () => {
      if (!this.stick) throw new HostError('no-usb-stick', `${this.spec.name} has no USB stick inserted.`);
      if (this.proc) {
        const proc = this.proc;
        const deleted = proc.waitForEvent('DEVICE_DELETED', 10_000, (d) => (d as { device?: string }).device === USB_STICK_ID);
        // If device_del throws, nobody awaits `deleted`; its later timeout/close rejection must not go unhandled.
        deleted.catch(() => {});
        await proc.execute('device_del', { id: USB_STICK_ID });
        await deleted;
        await proc.execute('blockdev-del', { 'node-name': 'usb-drive' });
        await proc.execute('blockdev-del', { 'node-name': 'usb-file' });
        const { usb: _gone, ...rest } = this.launch!;
        this.launch = rest;
      }
      this.stick = null;
    });
  }

  writeConsole(data: Uint8Array | string): void { this.proc?.writeConsole(data); }

  /** Resolves with the next console event of `type` matching `predicate`. */
  waitForEvent<T extends ConsoleEvent['type']>(type: T, timeoutMs: number, predicate: (e: Extract<ConsoleEvent, { type: T }>) => boolean = () => true): Promise<Extract<ConsoleEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.off('event', on); reject(new HostError('timeout', `${this.spec.name}: no ${type} on the console within ${timeoutMs} ms`)); }, timeoutMs);
      const on = (e: ConsoleEvent): void => {
        if (e.type === type && predicate(e as Extract<ConsoleEvent, { type: T }>)) {
          clearTimeout(timer);
          this.off('event', on);
          resolve(e as Extract<ConsoleEvent, { type: T }>);
        }
      };
      this.on('event', on);
    });
  }

  /** Resolves with the next power change matching `predicate`. */
  waitForPower(predicate: (c: PowerChange) => boolean, timeoutMs: number): Promise<PowerChange> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.off('power', on); reject(new HostError('timeout', `${this.spec.name}: power did not change as expected within ${timeoutMs} ms`)); }, timeoutMs);
      const on = (c: PowerChange): void => { if (predicate(c)) { clearTimeout(timer); this.off('power', on); resolve(c); } };
      this.on('power', on);
    });
  }

  /** @internal for checkpoints: the running process and its launch. */
  current(): { proc: VmProcess; launch: VmLaunch } | null {
    return this.proc && this.launch ? { proc: this.proc, launch: this.launch } : null;
  }

  /** @internal for checkpoints: power on from a saved launch and memory stream. */
  async startFrom(launch: VmLaunch, incoming: string): Promise<VmProcess> {
    return this.serial(async () => {
      if (this.proc) await this.kill('SIGKILL');
      this.stick = launch.usb?.path ?? null;
      // A launch saved while the LAN ran over UDP carries localPort/hubPort: only the MAC is kept.
      const { lan, ...rest } = launch;
      const proc = await this.startProcess({ ...rest, ...(lan ? { lan: { mac: lan.mac } } : {}), incoming }, 'restore');
      return proc;
    });
  }

  /**
   * @internal for suspended labs and phase checkpoints: powers on as this host is now
   * (launchFor) with `stick` in it, loading the memory stream `incoming`.
   */
  resumeFrom(device: BootDevice, incoming: string, stick: string | null): Promise<VmProcess> {
    return this.serial(async () => {
      if (this.proc) await this.kill('SIGKILL');
      this.stick = stick;
      return this.startProcess({ ...this.launchFor(device), incoming }, 'restore', device);
    });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => {});
    return next;
  }

  private running(): VmProcess {
    if (!this.proc) throw new HostError('not-on', `${this.spec.name} is powered off; power it on first.`);
    return this.proc;
  }

  private async kill(signal: NodeJS.Signals): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.intentionalStop = true;
    proc.kill(signal);
    await proc.exited;
  }

  private async boot(cause: 'power-on' | 'reboot'): Promise<void> {
    const sector = this.stick ? await this.io.readBootSector(this.stick) : null;
    const label = sector ? fatVolumeLabel(sector) : null;
    const device = chooseBootDevice(this.stick ? { volumeLabel: label } : null);
    await this.startProcess(this.launchFor(device, { siteStick: label === SITE_VOLUME_LABEL }), cause, device);
  }

  /**
   * The launch of this host as it is now (its spec, today's ports and relays, the stick in it)
   * booting from `device`. A saved memory stream loads into it: only host-side backends differ.
   */
  launchFor(device: BootDevice, opts: { siteStick?: boolean } = {}): VmLaunch {
    const s = this.spec;
    const hosts = s.endpoints.map((e, i) => ({ name: e.hostname, addr: guestEndpointAddr(i) }));
    return {
      name: s.name, cpus: s.cpus, memoryMb: s.memoryMb,
      kernel: s.images.vmlinux, initrd: device === 'usb' ? s.images.usbBootInitrd : s.images.diskBootInitrd,
      append: kernelCommandLine({ device, tscKhz: s.tscKhz, hosts, lanAddress: s.lan?.address, siteStick: opts.siteStick }) + (s.extraKernelArgs ? ` ${s.extraKernelArgs}` : ''),
      smbiosUuid: s.uuid,
      disk: { path: this.diskPathNow },
      ...(this.stick ? { usb: { path: this.stick } } : {}),
      nic: { mac: s.mac, forwards: s.endpoints.map((e, i) => ({ guestAddr: guestEndpointAddr(i), guestPort: 80, command: s.relayCommand(e.hostPort) })) },
      ...(s.lan ? { lan: { mac: s.lan.mac } } : {}),
      ...(this.clockBehindOn ? { rtcBase: rtcBaseShifted(Date.now(), -CLOCK_BEHIND_S) } : {}),
    };
  }

  /** The device the running host booted from, null when off. */
  bootDevice(): BootDevice | null {
    return this.launch ? (/edge\.boot=usb/.test(this.launch.append) ? 'usb' : 'disk') : null;
  }

  private async startProcess(launch: VmLaunch, cause: 'power-on' | 'reboot' | 'restore', device?: BootDevice): Promise<VmProcess> {
    const proc = await this.driver.start(launch);
    this.plugLan(proc);
    // A cable left out stays out across boots: the new process's link goes down before the guest looks.
    if (!this.cable) await proc.execute('set_link', { name: WAN_NETDEV_ID, up: false });
    const { incoming: _i, ...plain } = launch;
    this.proc = proc;
    this.launch = plain;
    this.intentionalStop = false;
    this.currentFault = null;
    this.ioPause = null;
    this.splitter = new ConsoleLineSplitter();
    proc.onConsole((bytes) => this.onConsoleBytes(bytes));
    proc.onEvent((e) => this.onQmpEvent(proc, e));
    void proc.exited.then((exit) => this.onExit(proc, exit));
    this.emit('power', { state: 'on', device: device ?? (/edge\.boot=usb/.test(launch.append) ? 'usb' : 'disk'), cause });
    return proc;
  }

  /** Plugs the process's LAN card into the lab's hub for as long as the process lives. */
  private plugLan(proc: VmProcess): void {
    const hub = this.spec.lan?.hub;
    if (!proc.lan || !hub) return;
    const unplug = hub.attach(proc.lan, this.spec.name);
    void proc.exited.then(unplug);
  }

  private onConsoleBytes(bytes: Uint8Array): void {
    this.console.append(bytes);
    this.emit('console', bytes);
    for (const line of this.splitter.push(bytes)) {
      const e = parseConsoleLine(line);
      if (!e) continue;
      const fault = faultOf(e);
      if (fault) { this.currentFault = fault; this.emit('fault', fault); }
      this.emit('event', e);
    }
  }

  /**
   * QEMU emits BLOCK_IO_ERROR, then STOP, for a request that fails under the
   * 'stop' policy, and RESUME on `cont` (from resume(), or from a checkpoint's
   * stop/cont). One pause is reported once, however many requests failed in it.
   */
  private onQmpEvent(proc: VmProcess, e: QmpEventMessage): void {
    if (this.proc !== proc) return;
    if (e.event === 'BLOCK_IO_ERROR') {
      const d = (e.data ?? {}) as Partial<QmpBlockIoError>;
      if (d.action !== 'stop' || this.ioPause) return;
      this.ioPause = {
        state: 'paused',
        device: d['node-name'] || d.device || 'disk',
        operation: d.operation === 'read' ? 'read' : 'write',
        nospace: d.nospace === true,
        reason: typeof d.reason === 'string' ? d.reason : 'unknown',
      };
      this.emit('io', this.ioPause);
    } else if (e.event === 'RESUME' && this.ioPause) {
      this.ioPause = null;
      this.emit('io', { state: 'resumed' });
    }
  }

  private onExit(proc: VmProcess, exit: VmExit): void {
    if (this.proc !== proc) return;
    this.proc = null;
    this.ioPause = null;
    const reboot = !this.intentionalStop && (exit.shutdownReason === 'guest-reset' || exit.shutdownReason === 'host-qmp-system-reset' || exit.shutdownReason === 'guest-panic');
    if (reboot) {
      // Firmware runs again: hold the operation queue until the host is back on.
      void this.serial(() => this.boot('reboot')).catch((err) => {
        this.emit('power', { state: 'off', reason: 'crashed', exit: { ...exit, shutdownReason: String(err) } });
      });
      return;
    }
    const reason: OffReason = exit.shutdownReason === 'guest-shutdown' ? 'guest-poweroff' : this.intentionalStop ? 'hard-poweroff' : 'crashed';
    this.emit('power', { state: 'off', reason, exit });
  }
}

function faultOf(e: ConsoleEvent): HostFault | null {
  if (e.type === 'install.failed') return { code: 'install-failed', reason: e.reason, detail: e.fields };
  if (e.type === 'firmware.no-bootable-device') return { code: 'no-bootable-device', reason: e.reason, detail: {} };
  return null;
}

export function guestEndpointAddr(index: number): string {
  const base = ENDPOINT_GUEST_BASE.split('.').map(Number);
  return `${base[0]}.${base[1]}.${base[2]}.${base[3]! + index}`;
}

function exitsWithin(proc: VmProcess, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    void proc.exited.then(() => { clearTimeout(t); resolve(true); });
  });
}
