import { spawn, type ChildProcess } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { QmpClient } from './qmp-client';
import { buildQemuArgs, LAN_FD, type QemuHostFacts } from './args';
import type { QmpEventMessage, VmDriver, VmExit, VmLaunch, VmProcess } from '../types';

export const QEMU_BINARY = 'qemu-system-x86_64';

/** QEMU refused to start or its monitor never answered. */
export class QemuStartError extends Error {
  override name = 'QemuStartError';
  constructor(message: string, readonly stderr: string, options?: { cause?: unknown }) {
    super(`[simulator:qemu] ${message}`, options);
  }
}

export interface QemuDriverOptions {
  facts?: Partial<QemuHostFacts>;
  /** Kill QEMU if this Node process dies (setpriv --pdeathsig), so no VM outlives its simulator. Default true. */
  dieWithParent?: boolean;
}

/** The real driver: one QEMU process per power-on, console on stdio, QMP on fd 3, LAN card on fd 4. */
export class QemuDriver implements VmDriver {
  private readonly facts: QemuHostFacts;
  constructor(private readonly opts: QemuDriverOptions = {}) {
    this.facts = { tbSizeMb: 32, ...opts.facts };
  }

  async start(launch: VmLaunch): Promise<VmProcess> {
    const qemuArgs = buildQemuArgs(launch, this.facts);
    const [cmd, args] = this.opts.dieWithParent === false
      ? [QEMU_BINARY, qemuArgs]
      : ['setpriv', ['--pdeathsig', 'KILL', '--', QEMU_BINARY, ...qemuArgs]];
    // Node makes each 'pipe' past stdio a Unix socketpair: fd 3 for QMP, fd 4 for the LAN card.
    const stdio = launch.lan ? ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'] as const : ['pipe', 'pipe', 'pipe', 'pipe'] as const;
    const child = spawn(cmd, args, { stdio: [...stdio] });
    const proc = new QemuProcess(child, launch.lan ? child.stdio[LAN_FD] as Duplex : undefined);
    try {
      await proc.connect();
    } catch (err) {
      child.kill('SIGKILL');
      const exit = await proc.exited;
      throw new QemuStartError(`QEMU did not start ${launch.name} (exit ${exit.code ?? exit.signal}): ${proc.stderrTail() || String(err)}`, proc.stderrTail(), { cause: err });
    }
    return proc;
  }
}

class QemuProcess implements VmProcess {
  private qmp: QmpClient | null = null;
  private stderr = '';
  private lastShutdownReason: string | null = null;
  private readonly consoleListeners = new Set<(b: Uint8Array) => void>();
  private readonly eventListeners = new Set<(e: QmpEventMessage) => void>();
  readonly exited: Promise<VmExit>;

  constructor(private readonly child: ChildProcess, readonly lan: Duplex | undefined) {
    child.stderr!.on('data', (d: Buffer) => { this.stderr = (this.stderr + d.toString()).slice(-4000); });
    child.stdout!.on('data', (d: Buffer) => { for (const l of this.consoleListeners) l(d); });
    child.stdin!.on('error', () => {}); // EPIPE after QEMU exits is expected
    lan?.on('error', () => {}); // likewise ECONNRESET/EPIPE on the LAN wire; the hub unplugs it
    // 'close' waits for every stdio stream to close; a LAN wire nobody reads (no hub) would never
    // see its end of file, so it is drained once QEMU has exited.
    child.once('exit', () => { if (lan && !lan.readableFlowing) lan.resume(); });
    this.exited = new Promise((resolve) => {
      child.on('error', (err) => { this.stderr += String(err); });
      child.on('close', (code, signal) => resolve({ code, signal, shutdownReason: this.lastShutdownReason }));
    });
  }

  get pid(): number | undefined { return this.child.pid; }

  async connect(): Promise<void> {
    const sock = this.child.stdio[3] as Duplex;
    const connecting = QmpClient.connect(sock, { timeoutMs: 10_000 });
    const exitedFirst = this.exited.then((e) => { throw new Error(`QEMU exited during start (${e.code ?? e.signal})`); });
    this.qmp = await Promise.race([connecting, exitedFirst]);
    this.qmp.on('*', (data, e) => {
      if (e.event === 'SHUTDOWN') this.lastShutdownReason = (data as { reason?: string }).reason ?? null;
      for (const l of this.eventListeners) l({ event: e.event, data });
    });
  }

  stderrTail(): string { return this.stderr.trim().split('\n').slice(-3).join('\n'); }

  execute<T>(command: string, args?: object): Promise<T> {
    return this.client().execute<T>(command, args);
  }

  async waitForEvent(event: string, timeoutMs: number, predicate?: (data: unknown) => boolean): Promise<unknown> {
    const e = await this.client().waitForEvent(event, predicate ? (d) => predicate(d) : undefined, timeoutMs);
    return e.data;
  }

  onEvent(listener: (e: QmpEventMessage) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onConsole(listener: (bytes: Uint8Array) => void): () => void {
    this.consoleListeners.add(listener);
    return () => this.consoleListeners.delete(listener);
  }

  writeConsole(bytes: Uint8Array | string): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.stdin!.write(bytes);
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }

  private client(): QmpClient {
    if (!this.qmp) throw new Error('[simulator:qemu] QMP used before connect (this is a bug)');
    return this.qmp;
  }
}
