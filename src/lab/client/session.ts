// LabSession: the page's hold on one lab of one scenario on the simulator. It opens a lab
// (POST /labs) or resumes the one remembered in storage, keeps a valid lab token (trading the
// session secret for a fresh one when the token is missing, near expiry or refused), and reports
// one of a few states a page can render. Nothing here touches window, storage or the network until
// start() is called, so constructing a session during server-side rendering is safe.
import { unreachableAdvice } from './unreachable';
import type { LabRole } from '../../../simulator/pure/protocol';
import { Listeners, type Unsubscribe } from './emitter';
import { LabClientError } from './errors';
import { checkLab, joinClass, joinLab, openLab, tradeSessionSecret, type FetchLike, type HttpOutcome } from './lab-http';
import {
  defaultStorage, forgetRememberedLab, readJoinedClassLab, readRememberedLab, writeJoinedClassLab, writeRememberedLab, type RememberedLab, type StorageLike,
} from './remembered-lab';

export const DEFAULT_SIMULATOR_URL = 'http://127.0.0.1:4100';

/** A learner's class link: join the class (a lab of their own), or resume the lab it gave before. */
export interface ClassEntry {
  classId: string;
  code: string;
  /** The name the trainer sees on the dashboard. */
  learner: string;
}
/** A token this close to its expiry is traded for a new one before use. */
export const TOKEN_REFRESH_MARGIN_MS = 60_000;
/** 403 codes of a session the trainer ended: a removed member (secret, then token). Nothing fixes them but a new invite. */
export const ENDED_SESSION_CODES: readonly string[] = ['member-removed', 'session-ended'];
/** 401 codes that a fresh token fixes (expired, or signed before a simulator restart). */
export const REFRESHABLE_TOKEN_CODES: readonly string[] = ['expired-token', 'bad-signature', 'malformed-token', 'missing-token'];

export type LabSessionState =
  /** Opening or resuming the lab: show a spinner. */
  | { status: 'connecting'; scenario: string }
  /** The lab is open and a token can be had. `resumed` is true when it was the remembered lab. */
  | { status: 'ready'; scenario: string; labId: string; role: LabRole; resumed: boolean }
  /** Nothing answers at simulatorUrl: tell the reader to start it (`npm start`), then retry(). */
  | { status: 'simulator-unreachable'; scenario: string; simulatorUrl: string; message: string }
  /** The remembered lab no longer exists: offer openNewLab(). */
  | { status: 'lab-gone'; scenario: string; labId: string; message: string }
  /** Anything else, with a message to show as is; retry() may help. */
  | { status: 'error'; scenario: string; message: string };

export interface LabSessionOptions {
  scenario: string;
  /** The role a new lab is opened for; the server's default (solo) when absent. */
  role?: LabRole;
  /** Default http://127.0.0.1:4100; without a trailing slash. */
  simulatorUrl?: string;
  /** Default globalThis.fetch, looked up when first needed. */
  fetch?: FetchLike;
  /** Where the lab is remembered. Default window.localStorage when present; null remembers nothing. */
  storage?: StorageLike | null;
  now?: () => number;
  /**
   * A shared lab to enter instead of the reader's own: with an invite (a member joins with its
   * role) or with the session secret its trainer got. Used unless this lab is already the one
   * remembered.
   */
  enter?: { labId: string; invite: string } | { labId: string; sessionSecret: string | null } | ClassEntry;
}

/** What LabConnection needs from a session. */
export interface LabTokenSource {
  readonly simulatorUrl: string;
  /** The open lab's id, or null when none is open. */
  readonly labId: string | null;
  /** A token valid for at least TOKEN_REFRESH_MARGIN_MS; rejects with LabClientError when none can be had. */
  token(): Promise<string>;
  /** A new token now, whatever the old one's expiry; rejects like token(). */
  refreshToken(): Promise<string>;
  /** Told when the lab socket was welcomed: the simulator answers again. */
  reachable?(): void;
}

export class LabSession implements LabTokenSource {
  readonly simulatorUrl: string;
  readonly scenario: string;
  private state: LabSessionState;
  private readonly listeners = new Listeners();
  private lab: RememberedLab | null = null;
  private starting: Promise<LabSessionState> | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(private readonly options: LabSessionOptions) {
    this.scenario = options.scenario;
    this.simulatorUrl = (options.simulatorUrl ?? DEFAULT_SIMULATOR_URL).replace(/\/+$/, '');
    this.state = { status: 'connecting', scenario: this.scenario };
  }

  /** The current state; the same object until it changes (for useSyncExternalStore). */
  getState(): LabSessionState {
    return this.state;
  }

  subscribe(listener: () => void): Unsubscribe {
    return this.listeners.add(listener);
  }

  get labId(): string | null {
    return this.lab?.labId ?? null;
  }

  /** Resumes the remembered lab, or opens a new one. Resolves with the resulting state; never rejects. */
  start(): Promise<LabSessionState> {
    this.starting ??= this.resumeOrOpen().finally(() => (this.starting = null));
    return this.starting;
  }

  /** Same as start(); for the "retry" button of the unreachable and error states. */
  retry(): Promise<LabSessionState> {
    return this.start();
  }

  /** Forgets the remembered lab and opens a new one (the lab-gone state's offer). */
  async openNewLab(): Promise<LabSessionState> {
    await this.starting?.catch(() => undefined);
    forgetRememberedLab(this.storage(), this.simulatorUrl, this.scenario);
    this.lab = null;
    return this.start();
  }

  async token(): Promise<string> {
    const lab = this.lab;
    if (lab?.token && lab.expiresAt !== undefined && lab.expiresAt - this.now() > TOKEN_REFRESH_MARGIN_MS) return lab.token;
    return this.refreshToken();
  }

  refreshToken(): Promise<string> {
    this.refreshing ??= this.trade().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  reachable(): void {
    if (this.lab && (this.state.status === 'simulator-unreachable' || this.state.status === 'error')) this.ready(true);
  }

  /**
   * fetch for the lab's own HTTP API: `path` is below /labs/<id> (e.g. "/palette/v1/profiles").
   * Adds the token, and retries once with a fresh token when the server refuses the old one.
   */
  async fetchLab(path: string, init: RequestInit = {}): Promise<Response> {
    const labId = this.requireLab('call the lab API').labId;
    const send = async (token: string): Promise<Response> => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return this.fetchFn()(`${this.simulatorUrl}/labs/${labId}${path}`, { ...init, headers });
    };
    const first = await send(await this.token());
    if (first.status !== 401) return first;
    const code = ((await first.clone().json().catch(() => ({}))) as { error?: unknown }).error;
    if (typeof code !== 'string' || !REFRESHABLE_TOKEN_CODES.includes(code)) return first;
    return send(await this.refreshToken());
  }

  private async resumeOrOpen(): Promise<LabSessionState> {
    this.set({ status: 'connecting', scenario: this.scenario });
    try {
      const enter = this.options.enter;
      const known = this.lab ?? readRememberedLab(this.storage(), this.simulatorUrl, this.scenario);
      const entered = enter && ('classId' in enter ? readJoinedClassLab(this.storage(), this.simulatorUrl, enter.classId) : enter.labId);
      if (enter && known?.labId !== entered) return await this.enterShared(enter);
      const remembered = known;
      if (!remembered) return await this.open();
      this.lab = remembered;
      if (remembered.token && remembered.expiresAt !== undefined && remembered.expiresAt - this.now() > TOKEN_REFRESH_MARGIN_MS) {
        const check = await checkLab(this.fetchFn(), this.simulatorUrl, remembered.labId, remembered.token);
        if (check.kind === 'ok') return this.ready(true);
        // A refused token (expired, or from before a simulator restart) is traded below; the rest is final.
        if (!(check.kind === 'refused' && check.status === 401)) return this.fail(check, 'resuming');
      }
      await this.trade();
      return this.ready(true);
    } catch (err) {
      // trade() has already set the state it failed with.
      if (err instanceof LabClientError) return this.state;
      return this.set({ status: 'error', scenario: this.scenario, message: `[lab-client] opening the lab failed: ${String(err)}` });
    }
  }

  private async open(): Promise<LabSessionState> {
    const opened = await openLab(this.fetchFn(), this.simulatorUrl, this.scenario, this.options.role);
    if (opened.kind !== 'ok') return this.fail(opened, 'opening');
    const { labId, role, token, expiresAt, sessionSecret } = opened.value;
    this.remember({ labId, role, token, expiresAt, sessionSecret, scenario: this.scenario });
    return this.ready(false);
  }

  private async enterShared(enter: NonNullable<LabSessionOptions['enter']>): Promise<LabSessionState> {
    if ('invite' in enter || 'classId' in enter) {
      const joined = 'invite' in enter
        ? await joinLab(this.fetchFn(), this.simulatorUrl, enter.labId, enter.invite)
        : await joinClass(this.fetchFn(), this.simulatorUrl, enter.classId, enter.code, enter.learner);
      if (joined.kind !== 'ok') return this.fail(joined, 'joining');
      const { labId, role, token, expiresAt, sessionSecret } = joined.value;
      this.remember({ labId, role, token, expiresAt, sessionSecret, scenario: this.scenario });
      if ('classId' in enter) writeJoinedClassLab(this.storage(), this.simulatorUrl, enter.classId, labId);
      return this.ready(false);
    }
    // The trainer's own secret: remembered, then traded for a token like any resumed lab.
    this.lab = { labId: enter.labId, sessionSecret: enter.sessionSecret, role: 'trainer', scenario: this.scenario };
    await this.trade();
    return this.ready(true);
  }

  /** POST /labs/<id>/session; on failure sets the matching state and throws LabClientError. */
  private async trade(): Promise<string> {
    const lab = this.requireLab('get a lab token');
    const grant = await tradeSessionSecret(this.fetchFn(), this.simulatorUrl, lab.labId, lab.sessionSecret);
    if (grant.kind !== 'ok') {
      const state = this.fail(grant, 'renewing the token of');
      throw new LabClientError('message' in state ? state.message.replace(/^\[lab-client\] /, '') : 'no token', state.status);
    }
    // Once the server holds the secret in its cookie, the page keeps no copy.
    const sessionSecret = grant.value.sessionCookie ? null : lab.sessionSecret;
    this.remember({ ...lab, sessionSecret, role: grant.value.role, token: grant.value.token, expiresAt: grant.value.expiresAt });
    // A renewal that works again after a failure mid-session brings the session back.
    if (this.state.status === 'simulator-unreachable' || this.state.status === 'error') this.ready(true);
    return grant.value.token;
  }

  private fail(outcome: Exclude<HttpOutcome<unknown>, { kind: 'ok' }>, doing: string): LabSessionState {
    const what = `${doing} the ${this.scenario} lab${this.lab ? ` ${this.lab.labId}` : ''}`;
    if (outcome.kind === 'unreachable') {
      return this.set({
        status: 'simulator-unreachable', scenario: this.scenario, simulatorUrl: this.simulatorUrl,
        message: `[lab-client] the lab simulator at ${this.simulatorUrl} does not answer (${outcome.message}); ${unreachableAdvice(this.simulatorUrl)}`,
      });
    }
    // The server's words are the clearest: a session idle too long (open a new lab, or ask the
    // trainer), or a member the trainer removed (its token refused, its secret too).
    if (this.lab && outcome.code === 'session-expired') {
      return this.set({ status: 'lab-gone', scenario: this.scenario, labId: this.lab.labId, message: outcome.message });
    }
    if (ENDED_SESSION_CODES.includes(outcome.code)) return this.set({ status: 'error', scenario: this.scenario, message: outcome.message });
    // 403 bad-session: the secret opens no lab any more; 404 on /labs/<id>: the lab was deleted.
    if (this.lab && (outcome.code === 'bad-session' || outcome.status === 404)) {
      return this.set({
        status: 'lab-gone', scenario: this.scenario, labId: this.lab.labId,
        message: `[lab-client] lab ${this.lab.labId} no longer exists on the simulator (it was deleted or its data was reset); open a new lab to start the guide again`,
      });
    }
    return this.set({ status: 'error', scenario: this.scenario, message: `[lab-client] ${what} failed (${outcome.status} ${outcome.code}): ${outcome.message}` });
  }

  private ready(resumed: boolean): LabSessionState {
    const lab = this.requireLab('be ready');
    const s = this.state;
    if (s.status === 'ready' && s.labId === lab.labId && s.role === lab.role) return s;
    return this.set({ status: 'ready', scenario: this.scenario, labId: lab.labId, role: lab.role, resumed });
  }

  private remember(lab: RememberedLab): void {
    this.lab = lab;
    writeRememberedLab(this.storage(), this.simulatorUrl, lab);
  }

  private requireLab(toDo: string): RememberedLab {
    if (!this.lab) throw new LabClientError(`cannot ${toDo}: no lab is open yet; call start() first`, 'no-lab');
    return this.lab;
  }

  private set(state: LabSessionState): LabSessionState {
    this.state = state;
    this.listeners.emit();
    return state;
  }

  private storage(): StorageLike | null {
    return this.options.storage === undefined ? defaultStorage() : this.options.storage;
  }

  private fetchFn(): FetchLike {
    const f = this.options.fetch ?? (typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined);
    if (!f) throw new LabClientError('this environment has no fetch; pass one as options.fetch', 'no-fetch');
    return f;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
