/**
 * A program's way into one lab on a lab server, through the same doors a page
 * uses: the lab's HTTP API (`/labs/<id>/…`, with the lab token) and its
 * WebSocket (the versioned protocol of simulator/pure/protocol). The headless
 * scenario runner, the benchmarks and the end-to-end tests drive labs with it.
 */
import WebSocket from 'ws';
import {
  base64ToBytes, parseServerMessage, PROTOCOL_VERSION, textToBase64,
  type ClientMessage, type LabView, type ServerMessage,
} from '../pure/protocol';
import { hostTrouble, type ScenarioDriver } from '../pure/scenarios/scenario-steps';

/** The longest line the guest console's shell keeps (busybox ash, FEATURE_EDITING_MAX_LEN), plus one. */
export const GUEST_LINE_MAX = 1024;

export class LabClientError extends Error {
  constructor(message: string, readonly status?: number, readonly body?: unknown) {
    super(`[lab-client] ${message}`);
    this.name = 'LabClientError';
  }
}

export interface OpenedLab { labId: string; role: string; token: string; sessionSecret: string | null; expiresAt: number }

/** `operatorKey`: needed on a room's server, which opens labs of one's own only for the operator. */
export async function createLab(serverUrl: string, scenario: string, role = 'solo', operatorKey?: string): Promise<OpenedLab> {
  const res = await fetch(`${serverUrl}/labs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(serverUrl).origin, ...(operatorKey ? { authorization: `Bearer ${operatorKey}` } : {}) },
    body: JSON.stringify({ scenario, role }),
  });
  const body = (await res.json().catch(() => null)) as OpenedLab | { message?: string } | null;
  if (res.status !== 201 || !body || !('labId' in body)) {
    throw new LabClientError(`creating a ${scenario} lab failed (${res.status}): ${(body as { message?: string } | null)?.message ?? 'no reason given'}`, res.status, body);
  }
  return body;
}

type Waiter = { pred: (v: LabView) => boolean; resolve: (v: LabView) => void };

/** Why a wait for progress can stop early (a host's failed command or fault); shared with the scenario steps. */
export { hostTrouble };

export class LabClient implements ScenarioDriver {
  view: LabView | null = null;
  seq = 0;
  readonly events: { seq: number; type: string; [k: string]: unknown }[] = [];
  private ws: WebSocket | null = null;
  private waiters = new Set<Waiter>();
  private pending = new Map<string, (m: Extract<ServerMessage, { type: 'command.result' }>) => void>();
  private consoles = new Map<string, string>();
  /** Hosts whose console history has arrived since attaching. */
  private readonly histories = new Set<string>();
  /** Marks this client's command ends apart from any other client's on the same console. */
  private readonly marker = Math.random().toString(36).slice(2, 8);
  private nextId = 0;
  private closedWith: Error | null = null;
  private eventListeners = new Set<(e: { seq: number; type: string; at: number }) => void>();
  private viewListeners = new Set<(v: LabView) => void>();
  private outputListeners = new Set<(hostId: string, text: string) => void>();

  constructor(readonly serverUrl: string, readonly lab: OpenedLab) {}

  /** Opens the WebSocket, says hello and resolves once the first view arrived. */
  async connect(): Promise<void> {
    const url = `${this.serverUrl.replace(/^http/, 'ws')}/labs/${this.lab.labId}/socket?token=${encodeURIComponent(this.lab.token)}`;
    const ws = new WebSocket(url);
    this.ws = ws;
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', (err) => reject(new LabClientError(`cannot open the lab socket: ${err.message}`)));
      ws.once('unexpected-response', (_req, res) => reject(new LabClientError(`the lab socket was refused (${res.statusCode})`, res.statusCode)));
    });
    ws.on('message', (data) => this.onMessage(String(data)));
    ws.on('close', (code, reason) => {
      this.closedWith = new LabClientError(`the lab socket closed (${code} ${String(reason)})`);
      for (const w of this.waiters) w.resolve(this.view as LabView);
      // A command the server never answered is lost with the socket: say so rather than hang.
      for (const [id, answer] of this.pending) answer({ type: 'command.result', id, ok: false, error: { code: 'socket-closed', message: `no answer: the lab socket closed (${code})` } } as Extract<ServerMessage, { type: 'command.result' }>);
      this.pending.clear();
    });
    this.send({ type: 'hello', version: PROTOCOL_VERSION, since: this.seq });
    await this.waitForView(() => true, 30_000, 'the first lab view');
  }

  close(): void {
    this.ws?.close();
    this.ws = null;
  }

  onEvent(listener: (e: { seq: number; type: string; at: number }) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Every view as it arrives. */
  onView(listener: (v: LabView) => void): () => void {
    this.viewListeners.add(listener);
    return () => this.viewListeners.delete(listener);
  }

  /** What a host's console prints from now on (not the history sent on attaching). */
  onConsoleOutput(listener: (hostId: string, text: string) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** Resolves with the first view (current or later) for which `pred` holds. */
  waitForView(pred: (v: LabView) => boolean, timeoutMs: number, what: string, stopWhen?: (v: LabView) => string | null): Promise<LabView> {
    if (this.view && pred(this.view)) return Promise.resolve(this.view);
    if (stopWhen) {
      const inner = pred;
      let trouble: string | null = null;
      const waiting = this.waitForView((v) => inner(v) || (trouble = stopWhen(v)) !== null, timeoutMs, what);
      return waiting.then((v) => {
        if (!inner(v) && trouble) throw new LabClientError(`stopped waiting for ${what}: ${trouble}`);
        return v;
      });
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new LabClientError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`));
      }, timeoutMs);
      const w: Waiter = {
        pred,
        resolve: (v) => {
          clearTimeout(timer);
          this.waiters.delete(w);
          if (this.closedWith) reject(this.closedWith);
          else resolve(v);
        },
      };
      this.waiters.add(w);
    });
  }

  /** A command over the socket; rejects with the lab's message when it is refused. */
  async command(target: { kind: 'lab' } | { kind: 'host'; hostId: string }, name: string, args?: Record<string, string>): Promise<void> {
    const id = `c${++this.nextId}`;
    const result = new Promise<Extract<ServerMessage, { type: 'command.result' }>>((resolve) => this.pending.set(id, resolve));
    this.send({ type: 'command', id, target, name, ...(args ? { args } : {}) });
    const r = await result;
    if (!r.ok) throw new LabClientError(`${name} was refused: ${r.error?.message ?? 'no reason given'}`);
  }

  /**
   * A Troubleshooting drill's Check my work (the lab command CHECK_DRILL): resolves with the answer
   * the lab recorded (its DRILL_CHECKED entry), once the lab's view shows that same answer to pages.
   */
  async checkDrill(drill: string, timeoutMs = 10_000): Promise<{ passed: boolean; message: string }> {
    const answers = (): { passed: boolean; message: string }[] => this.events
      .filter((e) => e.type === 'lab.check-result')
      .map((e) => e.event as { type: string; drill?: string; passed: boolean; message: string })
      .filter((ev) => ev.type === 'DRILL_CHECKED' && ev.drill === drill);
    const before = answers().length;
    await this.command({ kind: 'lab' }, 'CHECK_DRILL', { drill });
    for (const until = Date.now() + timeoutMs; answers().length === before;) {
      if (Date.now() > until) throw new LabClientError(`CHECK_DRILL ${drill} was accepted, but no answer reached the log in ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const { passed, message } = answers().at(-1)!;
    await this.waitForView((v) => {
      const shown = (v.data.drillChecks as Record<string, { passed: boolean; message: string }> | undefined)?.[drill];
      return shown?.passed === passed && shown.message === message;
    }, timeoutMs, `the view to show the ${drill} drill's answer`);
    return { passed, message };
  }

  /** The lab's HTTP API; `path` is below /labs/<id>. Resolves with status and parsed body. */
  async http(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.serverUrl}/labs/${this.lab.labId}${path}`, {
      method,
      // A program's Origin is the lab server's own: the server refuses changes without one.
      headers: { authorization: `Bearer ${this.lab.token}`, origin: new URL(this.serverUrl).origin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed };
  }

  /** Like http() but throws unless the status is one of `ok`. */
  async call(method: string, path: string, body: unknown, ok: readonly number[], what: string): Promise<any> {
    const r = await this.http(method, path, body);
    if (!ok.includes(r.status)) {
      throw new LabClientError(`${what} failed (${method} ${path} → ${r.status}): ${JSON.stringify(r.body).slice(0, 600)}`, r.status, r.body);
    }
    return r.body;
  }

  attachConsole(hostId: string): void {
    if (!this.consoles.has(hostId)) this.consoles.set(hostId, '');
    this.send({ type: 'console.attach', hostId });
  }

  /** Attaches and waits (up to 5 s) for the console's history, so that consoleText's length marks "now". */
  async attachConsoleWithHistory(hostId: string): Promise<void> {
    this.attachConsole(hostId);
    for (const until = Date.now() + 5_000; !this.histories.has(hostId) && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
  }

  consoleText(hostId: string): string { return this.consoles.get(hostId) ?? ''; }

  type(hostId: string, text: string): void {
    this.send({ type: 'console.input', hostId, data: textToBase64(text) });
  }

  /**
   * Types `command` on the host's console and resolves with its output. The end
   * is marked by `@@<n>@@`, printed by the shell evaluating `$((n+0))`, so the
   * echo of the typed line never matches it.
   */
  async run(hostId: string, command: string, timeoutMs = 20_000): Promise<string> {
    const n = ++this.nextId;
    const line = `${command}; echo "@@${this.marker}$((${n}+0))@@"`;
    // busybox's line editor keeps the first 1,024 characters of a line and drops the rest, the
    // end marker with them: the command would only time out, cut short.
    if (line.length >= GUEST_LINE_MAX) throw new LabClientError(`a console command must fit one line of ${GUEST_LINE_MAX - 1} characters with the end marker; this one has ${line.length}: define shell functions in an earlier command, or split it (it starts \`${command.slice(0, 60)}\`)`);
    // What the console printed before is history, not this command's output.
    await this.attachConsoleWithHistory(hostId);
    const end = `@@${this.marker}${n}@@`;
    const start = this.consoleText(hostId).length;
    this.type(hostId, `${line}\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = this.consoleText(hostId).slice(start).replace(/\r/g, '');
      const at = out.indexOf(end);
      if (at >= 0) return out.slice(0, at);
      if (Date.now() > deadline) throw new LabClientError(`\`${command}\` on ${hostId} did not finish within ${timeoutMs / 1000} s; the console shows:\n${out.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private send(msg: ClientMessage): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) throw this.closedWith ?? new LabClientError('the lab socket is not open');
    this.ws.send(JSON.stringify(msg));
  }

  private onMessage(raw: string): void {
    const parsed = parseServerMessage(raw);
    if (!parsed.ok) throw new LabClientError(`the server sent a frame this client cannot read: ${parsed.error.message}`);
    const m = parsed.msg;
    switch (m.type) {
      case 'view':
        this.view = m.lab;
        this.seq = Math.max(this.seq, m.seq);
        for (const l of this.viewListeners) l(m.lab);
        for (const w of [...this.waiters]) if (w.pred(m.lab)) w.resolve(m.lab);
        return;
      case 'event':
        this.seq = Math.max(this.seq, m.seq);
        this.events.push({ ...m.event, seq: m.seq });
        for (const l of this.eventListeners) l({ seq: m.seq, type: m.event.type, at: m.at });
        return;
      case 'command.result':
        this.pending.get(m.id)?.(m);
        this.pending.delete(m.id);
        return;
      case 'console.history':
      case 'console.output': {
        if (m.type === 'console.history') this.histories.add(m.hostId);
        const prev = this.consoles.get(m.hostId) ?? '';
        const text = new TextDecoder().decode(base64ToBytes(m.data));
        if (m.type === 'console.output') for (const l of this.outputListeners) l(m.hostId, text);
        this.consoles.set(m.hostId, m.type === 'console.history' && prev.length === 0 ? text : prev + (m.type === 'console.history' ? '' : text));
        return;
      }
      default:
        return;
    }
  }
}
