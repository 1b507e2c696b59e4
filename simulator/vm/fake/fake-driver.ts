/**
 * A scriptable stand-in for QEMU in unit tests (in the spirit of go-qemu's
 * qmptest): one script per test decides how each VM behaves. Everything is
 * in memory and synchronous where QEMU would be, so tests run in microseconds
 * and work under vitest fake timers (follow-ups such as an exit after a
 * command run on promise microtasks, never on timers; only `waitForEvent`'s
 * timeout uses a timer).
 */
import type { Duplex } from 'node:stream';
import { QmpClosedError, QmpCommandError, QmpTimeoutError } from '../qemu/qmp-client';
import { encodeFrame, FrameReader } from '../lan-frames';
import { duplexPair } from './duplex-pair';
import type { QmpBlockIoError, QmpEventMessage, VmDriver, VmExit, VmLaunch, VmProcess } from '../types';

/** Runs at each `start`, before the VM is handed to the caller. Throw to make the launch fail. */
export type FakeScript = (launch: VmLaunch, vm: FakeVm) => void | Promise<void>;
/** Answers one QMP command: the return value is QMP's `return`; throw to answer with an error. */
export type FakeResponder = (args: Record<string, unknown> | undefined, vm: FakeVm) => unknown;

export class FakeVmDriver implements VmDriver {
  readonly launches: VmLaunch[] = [];
  readonly vms: FakeVm[] = [];
  private nextPid = 10_000;

  constructor(private readonly script?: FakeScript) {}

  /** The most recently started VM. */
  get last(): FakeVm {
    const vm = this.vms.at(-1);
    if (!vm) throw new Error('[fake-vm] no VM has been started');
    return vm;
  }

  async start(launch: VmLaunch): Promise<VmProcess> {
    this.launches.push(launch);
    const vm = new FakeVm(launch, this.nextPid++);
    this.vms.push(vm); // recorded even if the script then fails the launch
    await this.script?.(launch, vm);
    return vm;
  }
}

export class FakeVm implements VmProcess {
  // --- test controls -------------------------------------------------------
  /** The guest does not act on the ACPI power button (POWERDOWN is still emitted). */
  ignorePowerButton = false;
  /** Signals the process survives; SIGKILL cannot be ignored, as on a real process. */
  ignoreSignals: NodeJS.Signals[] = [];
  // --- records -------------------------------------------------------------
  readonly commands: { command: string; args?: Record<string, unknown> }[] = [];
  readonly signals: NodeJS.Signals[] = [];
  consoleInput = '';
  /** What `query-status` reports; `stop`, `cont` and `ioError` change it. */
  status: 'running' | 'paused' | 'io-error' = 'running';
  /** Link state of each netdev set by QMP set_link (QEMU starts every link up; absent means up). */
  readonly linkUp = new Map<string, boolean>();
  /** Frames the guest's LAN card received (whole frames, length prefix removed). */
  readonly lanInbox: Buffer[] = [];

  /** The LAN wire the hub plugs in (VmProcess.lan), when the launch has a LAN. */
  readonly lan?: Duplex;
  /** The guest's end of that wire: raw bytes, for tests that break the framing on purpose. */
  readonly guestLan?: Duplex;

  readonly exited: Promise<VmExit>;
  private resolveExit!: (e: VmExit) => void;
  private exitInfo: VmExit | null = null;
  private lastShutdownReason: string | null = null;
  private readonly responders = new Map<string, FakeResponder>();
  private readonly eventListeners = new Set<(e: QmpEventMessage) => void>();
  private readonly consoleListeners = new Set<(b: Uint8Array) => void>();
  /** Console output printed before anyone listened (e.g. by the script at start): delivered to the first listener. */
  private heldConsole: Uint8Array[] = [];
  private readonly closeHooks = new Set<() => void>();

  constructor(readonly launch: VmLaunch, readonly pid: number) {
    this.exited = new Promise((resolve) => { this.resolveExit = resolve; });
    this.setDefaults();
    if (launch.lan) {
      const [hubEnd, guestEnd] = duplexPair();
      this.lan = hubEnd;
      this.guestLan = guestEnd;
      const reader = new FrameReader();
      guestEnd.on('data', (chunk: Buffer) => { this.lanInbox.push(...reader.push(chunk)); });
      guestEnd.on('error', () => {});
    }
  }

  /** The guest's LAN card sends one Ethernet frame (framed as QEMU's stream backend does). */
  sendLanFrame(frame: Uint8Array): void {
    if (!this.guestLan) throw new Error('[fake-vm] this VM was launched without a LAN card');
    if (!this.exitInfo) this.guestLan.write(encodeFrame(frame));
  }

  get hasExited(): boolean { return this.exitInfo !== null; }

  /** Emits console bytes, as the guest's serial port would. */
  printConsole(text: string | Uint8Array): void {
    if (this.exitInfo) return;
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    if (this.consoleListeners.size === 0) { this.heldConsole.push(bytes); return; }
    for (const l of this.consoleListeners) l(bytes);
  }

  /** Emits a QMP event; a SHUTDOWN event's reason becomes the exit's `shutdownReason`, as with QEMU. */
  emitEvent(event: string, data: unknown = {}): void {
    if (this.exitInfo) return;
    if (event === 'SHUTDOWN') this.lastShutdownReason = (data as { reason?: string } | null)?.reason ?? null;
    for (const l of [...this.eventListeners]) l({ event, data });
  }

  /**
   * A disk request fails, as QEMU reports it: BLOCK_IO_ERROR (by default a write
   * to the `disk` node that found the host's filesystem full, action 'stop'),
   * then, for action 'stop', STOP with the status 'io-error' until `cont`.
   * Call it again after `cont` to play a disk that is still full.
   */
  ioError(data: Partial<QmpBlockIoError> = {}): void {
    const e: QmpBlockIoError = { device: '', 'node-name': 'disk', operation: 'write', action: 'stop', nospace: true, reason: 'No space left on device', ...data };
    this.emitEvent('BLOCK_IO_ERROR', e);
    if (e.action !== 'stop' || this.exitInfo) return;
    this.status = 'io-error';
    this.emitEvent('STOP');
  }

  /** Ends the process: emits SHUTDOWN first when a reason is given, then resolves `exited`. Idempotent. */
  exit(opts: { shutdownReason?: string | null; code?: number | null; signal?: NodeJS.Signals | null } = {}): void {
    if (this.exitInfo) return;
    if (opts.shutdownReason) this.emitEvent('SHUTDOWN', { guest: opts.shutdownReason.startsWith('guest-'), reason: opts.shutdownReason });
    const signal = opts.signal ?? null;
    this.exitInfo = { code: opts.code !== undefined ? opts.code : signal ? null : 0, signal, shutdownReason: this.lastShutdownReason };
    for (const hook of [...this.closeHooks]) hook();
    this.guestLan?.destroy(); // the process's end of the LAN wire closes with it
    this.resolveExit(this.exitInfo);
  }

  /** Replaces how a QMP command is answered (see the defaults in setDefaults). */
  respond(command: string, handler: FakeResponder): void { this.responders.set(command, handler); }

  // --- VmProcess -----------------------------------------------------------
  async execute<T = unknown>(command: string, args?: object): Promise<T> {
    this.commands.push({ command, ...(args ? { args: args as Record<string, unknown> } : {}) });
    if (this.exitInfo) throw new QmpClosedError(`cannot execute ${command}: the VM has exited`);
    const handler = this.responders.get(command);
    if (!handler) throw new QmpCommandError(command, 'CommandNotFound', `The command ${command} has not been found`);
    return (await handler(args as Record<string, unknown> | undefined, this)) as T;
  }

  waitForEvent(event: string, timeoutMs: number, predicate?: (data: unknown) => boolean): Promise<unknown> {
    if (this.exitInfo) return Promise.reject(new QmpClosedError(`cannot wait for ${event}: the VM has exited`));
    return new Promise((resolve, reject) => {
      const settle = (fn: () => void): void => { clearTimeout(timer); off(); this.closeHooks.delete(onClose); fn(); };
      const off = this.onEvent((e) => {
        if (e.event !== event) return;
        try { if (predicate && !predicate(e.data)) return; } catch (err) { settle(() => reject(err)); return; }
        settle(() => resolve(e.data));
      });
      const onClose = (): void => settle(() => reject(new QmpClosedError(`waiting for ${event}: the VM exited`)));
      this.closeHooks.add(onClose);
      const timer = setTimeout(() => settle(() => reject(new QmpTimeoutError(`waiting for event ${event}`, timeoutMs))), timeoutMs);
    });
  }

  onEvent(listener: (e: QmpEventMessage) => void): () => void {
    this.eventListeners.add(listener);
    return () => { this.eventListeners.delete(listener); };
  }

  onConsole(listener: (bytes: Uint8Array) => void): () => void {
    this.consoleListeners.add(listener);
    const held = this.heldConsole;
    this.heldConsole = [];
    for (const b of held) listener(b);
    return () => { this.consoleListeners.delete(listener); };
  }

  writeConsole(bytes: Uint8Array | string): void {
    if (this.exitInfo) return;
    this.consoleInput += typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes);
  }

  /** Records the signal; unless ignored, the process dies of it after a tick. */
  kill(signal: NodeJS.Signals): void {
    if (this.exitInfo) return;
    this.signals.push(signal);
    if (signal !== 'SIGKILL' && this.ignoreSignals.includes(signal)) return;
    void Promise.resolve().then(() => this.exit({ signal }));
  }

  /** QEMU's answers to the commands the hosts use; a guest's side effects come after the reply. */
  private setDefaults(): void {
    const ok = (): object => ({});
    const later = (fn: () => void): void => { void Promise.resolve().then(fn); };
    this.respond('system_powerdown', (_a, vm) => {
      vm.emitEvent('POWERDOWN');
      // A paused guest runs no code, so nobody acts on the button.
      if (!vm.ignorePowerButton && vm.status === 'running') later(() => vm.exit({ shutdownReason: 'guest-shutdown' }));
      return {};
    });
    this.respond('system_reset', (_a, vm) => {
      vm.emitEvent('RESET', { guest: false, reason: 'host-qmp-system-reset' });
      later(() => vm.exit({ shutdownReason: 'host-qmp-system-reset' }));
      return {};
    });
    this.respond('device_del', (args, vm) => {
      const id = String(args?.id ?? '');
      later(() => vm.emitEvent('DEVICE_DELETED', { device: id, path: `/machine/peripheral/${id}` }));
      return {};
    });
    for (const c of ['device_add', 'blockdev-add', 'blockdev-del', 'migrate']) this.respond(c, ok);
    this.respond('stop', (_a, vm) => { vm.status = 'paused'; return {}; });
    // Like QEMU: RESUME (before the reply) only when it was not running.
    this.respond('cont', (_a, vm) => {
      if (vm.status !== 'running') { vm.status = 'running'; vm.emitEvent('RESUME'); }
      return {};
    });
    this.respond('query-status', (_a, vm) => ({ status: vm.status, running: vm.status === 'running' }));
    this.respond('query-migrate', () => ({ status: 'completed' }));
    // Like QEMU: only a netdev the launch made has a link to set.
    this.respond('set_link', (args, vm) => {
      const name = String(args?.name ?? '');
      if (name !== 'wan' && !(name === 'lan' && vm.launch.lan)) throw new QmpCommandError('set_link', 'DeviceNotFound', `Device '${name}' not found`);
      vm.linkUp.set(name, args?.up === true);
      return {};
    });
  }
}

// Compile-time check (besides `implements`): the fakes are assignable wherever the real types are.
true satisfies (FakeVmDriver extends VmDriver ? (FakeVm extends VmProcess ? true : false) : false);
