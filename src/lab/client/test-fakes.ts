// Fakes for this folder's tests: a WebSocket the test drives by hand, an in-memory Storage, a
// scripted fetch and a token source. Not part of the client's API.
import { PROTOCOL_VERSION, type ClientMessage, type LabView, type ServerMessage } from '../../../simulator/pure/protocol';
import type { FetchLike } from './lab-http';
import type { StorageLike } from './remembered-lab';
import type { LabTokenSource } from './session';
import type { WebSocketLike } from './socket-types';

export class FakeWebSocket implements WebSocketLike {
  static instances: FakeWebSocket[] = [];
  static last(): FakeWebSocket {
    const ws = FakeWebSocket.instances.at(-1);
    if (!ws) throw new Error('no FakeWebSocket was created');
    return ws;
  }

  readyState = 0;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  readonly sent: ClientMessage[] = [];
  closedByClient: number | undefined;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error(`FakeWebSocket: send while readyState is ${this.readyState}`);
    this.sent.push(JSON.parse(data) as ClientMessage);
  }

  close(code?: number): void {
    this.closedByClient = code ?? 1000;
    this.readyState = 3;
  }

  /** The server side: accept the connection. */
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }

  receive(msg: ServerMessage | string): void {
    this.onmessage?.({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }

  /** The server (or the network) closes the connection. */
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  /** Opens and answers hello with welcome for `labId` at `seq`. */
  accept(labId: string, seq = 0): void {
    this.open();
    this.receive({ type: 'welcome', version: PROTOCOL_VERSION, labId, role: 'solo', seq });
  }

  get token(): string | null {
    return new URL(this.url).searchParams.get('token');
  }
}

export class MemoryStorage implements StorageLike {
  readonly map = new Map<string, string>();
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
}

export interface FetchCall {
  method: string;
  path: string;
  body: unknown;
  authorization: string | null;
}

/** What a route answers: a status and JSON body, or 'unreachable' for a network failure. */
export type FakeAnswer = { status: number; body?: unknown } | 'unreachable';

/** A fetch whose answers come from `route`; every call is recorded in `calls`. */
export function fakeFetch(route: (call: FetchCall) => FakeAnswer): FetchLike & { calls: FetchCall[] } {
  const calls: FetchCall[] = [];
  const fn = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    const call: FetchCall = {
      method: init.method ?? 'GET',
      path: new URL(input).pathname,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
      authorization: headers.get('authorization'),
    };
    calls.push(call);
    const answer = route(call);
    if (answer === 'unreachable') throw new TypeError('fetch failed');
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
  };
  return Object.assign(fn, { calls });
}

/** A token source for connection tests: tokens t1, t2, … from refreshToken(). */
export function fakeTokens(labId = 'lab-1'): LabTokenSource & { refreshes: number; fail: Error | null } {
  let n = 1;
  const src = {
    simulatorUrl: 'http://127.0.0.1:4100',
    labId,
    refreshes: 0,
    fail: null as Error | null,
    async token() {
      if (src.fail) throw src.fail;
      return `t${n}`;
    },
    async refreshToken() {
      src.refreshes++;
      if (src.fail) throw src.fail;
      return `t${++n}`;
    },
  };
  return src;
}

export function labView(overrides: Partial<LabView> = {}): LabView {
  return {
    state: 'modelProfile', label: 'Model the profile', tags: [], allowed: [], data: {}, at: 1,
    phases: [{ id: 'model-profile', label: 'Model the profile', status: 'active' }],
    hosts: {}, clusters: {},
    ...overrides,
    may: overrides.may ?? overrides.allowed ?? [],
  };
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
