/**
 * A chaos run's page on one lab: a LabClient that reconnects (with its last seq, as a page
 * does) after the lab server was killed and restarted, and keeps what the page saw across
 * those reconnects: each event it was sent, each host's console output, and every name the lab
 * gave to trouble. Its steps act through attempts: a driver that a fault cuts off, so a step
 * interrupted by a fault stops at its next wait instead of waiting out its own time.
 */
import type { LabView } from '../pure/protocol';
import type { DriverMethod, DriverTarget, ScenarioDriver } from '../pure/scenarios/scenario-steps';
import { LabClient, type OpenedLab } from '../scenarios/lab-client';

export class AttemptCutOff extends Error {
  constructor(why: string) {
    super(`[chaos] the attempt was cut off: ${why}`);
    this.name = 'AttemptCutOff';
  }
}

/** The names a view gives to trouble: notices, hosts' faults, pauses, reasons for being off, refusals. */
export function troubleNames(v: LabView): string[] {
  const out: string[] = [];
  for (const n of v.data.notices ?? []) out.push(`notice ${n.kind}`);
  for (const [name, h] of Object.entries(v.hosts)) {
    const d = h.data as Record<string, any>;
    if (d.fault?.reason) out.push(`${name}: fault ${d.fault.reason}`);
    if (d.ioPause) out.push(`${name}: paused (${d.ioPause.nospace ? 'disk full' : d.ioPause.reason})`);
    if (h.tags.includes('off') && (d.lastPowerOff === 'crashed' || d.lastPowerOff === 'server-restarted')) out.push(`${name}: off, ${d.lastPowerOff}`);
    if (d.commandError) out.push(`${name}: ${d.commandError.command} refused (${String(d.commandError.message).slice(0, 80)})`);
  }
  return out;
}

interface NameCollector { before: Set<string>; names: Set<string> }

/** `freeze`: takes no more names (another fault came, and what follows is its doing). */
export interface NameCollection { freeze(): void; stop(): string[] }

export class ChaosPage {
  client: LabClient;
  /** Every event the page was sent, over all its connections. */
  readonly delivered: { seq: number; type: string }[] = [];
  /** Each host's console as the page saw it print; a power change starts a new line, so text
   * from before and after it is never read as one. */
  readonly consoles = new Map<string, string>();
  /** Open collections of trouble names, one per fault not yet filed. */
  private readonly collectors = new Set<NameCollector>();

  constructor(public serverUrl: string, readonly lab: OpenedLab, private readonly hostNames: readonly string[]) {
    this.client = new LabClient(serverUrl, lab);
  }

  async connect(): Promise<void> {
    const c = new LabClient(this.serverUrl, this.lab);
    c.seq = this.client.seq;
    this.client = c;
    c.onEvent((e) => {
      this.delivered.push({ seq: e.seq, type: e.type });
      // LabClient keeps the whole event before telling its listeners.
      const host = c.events.at(-1)?.host;
      if (e.type === 'host.power' && typeof host === 'string') this.consoles.set(host, `${this.consoles.get(host) ?? ''}\n`);
    });
    c.onView((v) => { for (const n of troubleNames(v)) this.addName(n); });
    c.onConsoleOutput((host, text) => this.consoles.set(host, (this.consoles.get(host) ?? '') + text));
    await c.connect();
    for (const n of troubleNames(c.view!)) this.addName(n);
    for (const h of this.hostNames) c.attachConsole(h);
  }

  /** After the lab server was restarted, possibly on another URL. */
  async reconnect(serverUrl: string): Promise<void> {
    this.client.close();
    this.serverUrl = serverUrl;
    await this.connect();
  }

  /** A name for trouble the page met (in a view, or a refusal with its reason). */
  addName(name: string): void {
    for (const c of this.collectors) if (!c.before.has(name)) c.names.add(name);
  }

  /**
   * Starts collecting the trouble names the lab shows from now on, leaving out those it shows
   * already (an earlier fault's); `stop()` ends it and gives them, in the order first seen.
   */
  collectNames(): NameCollection {
    const c: NameCollector = { before: new Set(this.client.view ? troubleNames(this.client.view) : []), names: new Set() };
    this.collectors.add(c);
    return {
      freeze: () => { this.collectors.delete(c); },
      stop: () => { this.collectors.delete(c); return [...c.names]; },
    };
  }

  view(): LabView { return this.client.view!; }

  attempt(deadlineMs: number): Attempt { return new Attempt(this, deadlineMs); }

  close(): void { this.client.close(); }
}

/** One try at a step; `cut()` makes every call of it fail from then on. */
export class Attempt implements ScenarioDriver {
  private cutWhy: string | null = null;
  private readonly cutListeners = new Set<(e: Error) => void>();
  private readonly deadline: number;

  constructor(private readonly page: ChaosPage, budgetMs: number) {
    this.deadline = Date.now() + budgetMs;
  }

  cut(why: string): void {
    if (this.cutWhy) return;
    this.cutWhy = why;
    for (const l of this.cutListeners) l(new AttemptCutOff(why));
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    if (this.cutWhy) return Promise.reject(new AttemptCutOff(this.cutWhy));
    return new Promise<T>((resolve, reject) => {
      const onCut = (e: Error): void => reject(e);
      this.cutListeners.add(onCut);
      work().then(resolve, reject).finally(() => this.cutListeners.delete(onCut));
    });
  }

  private remaining(ms: number): number {
    return Math.max(1_000, Math.min(ms, this.deadline - Date.now()));
  }

  call(method: DriverMethod, path: string, body: unknown, okStatuses: readonly number[], doing: string): Promise<any> {
    return this.guard(() => this.page.client.call(method, path, body, okStatuses, doing)).catch((err: Error) => {
      // A refusal with a reason the page shows (the store busy or full, the disk low) is a named error.
      const m = /→ (503|507)\): (.*)$/s.exec(err.message);
      if (m) this.page.addName(`refused ${m[1]}: ${m[2]!.slice(0, 100)}`);
      throw err;
    });
  }

  command(target: DriverTarget, name: string, args?: Record<string, string>): Promise<void> {
    return this.guard(() => this.page.client.command(target, name, args));
  }

  waitForView(pred: (v: LabView) => boolean, timeoutMs: number, what: string, trouble?: (v: LabView) => string | null): Promise<LabView> {
    return this.guard(() => this.page.client.waitForView(pred, this.remaining(timeoutMs), what, trouble));
  }

  run(host: string, command: string, timeoutMs: number): Promise<string> {
    return this.guard(() => this.page.client.run(host, command, this.remaining(timeoutMs)));
  }
}
