// One lab's agent listener: the agent endpoint (agent-http.ts) on a loopback port, which QEMU's
// guestfwd reaches by running `nc 127.0.0.1 <port>` for every connection a guest opens. Bounded so
// that neither a guest nor a local process can hold it (or the helpers) without limit:
//
// - At most MAX_AGENT_CONNECTIONS connections at once; Node drops any beyond that at once, and the
//   helper that opened it exits with it. A three-host lab needs about 12 at its busiest: per host a
//   held heartbeat, a provisioning report or the image download beside it, and for a rebooted host
//   up to two connections of its previous boot that stay open until their reply (at most 25 s).
//   Someone typing wget on a console adds one or two. 32 leaves more than twice that.
// - Headers must arrive within HEADERS_TIMEOUT_MS, and the whole request (bodies are at most
//   64 KiB) within REQUEST_TIMEOUT_MS. These count only while the request comes in, so a
//   heartbeat held for its long poll (up to MAX_WAIT_S = 30 s; the agent waits 35 s) is not cut.
// - A connection with no traffic either way for IDLE_TIMEOUT_MS is closed: longer than the
//   longest long poll, so only a peer that stopped reading (or went away) meets it.
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_WAIT_S } from '../agent-bodies';
import type { Palette } from '../types';
import { createAgentHttp } from './agent-http';

export const MAX_AGENT_CONNECTIONS = 32;
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 15_000;
export const IDLE_TIMEOUT_MS = (MAX_WAIT_S + 30) * 1000;

export interface AgentListenerOptions {
  /** The names the lab's guests use for the endpoint; the only Host headers accepted. */
  endpointNames: readonly string[];
  /** Overrides, for tests that cannot wait the real ones out. */
  maxConnections?: number;
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  idleTimeoutMs?: number;
}

export interface AgentListener {
  readonly port: number;
  readonly server: Server;
  /** Stops listening and cuts every connection, held heartbeats included. */
  close(): Promise<void>;
}

export async function listenAgent(palette: Palette, o: AgentListenerOptions): Promise<AgentListener> {
  const headersTimeout = o.headersTimeoutMs ?? HEADERS_TIMEOUT_MS;
  const server = createAdaptorServer({
    fetch: createAgentHttp(palette, { endpointNames: o.endpointNames }).fetch,
    serverOptions: {
      headersTimeout,
      requestTimeout: o.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      // Node checks the two timeouts above on this period (default 30 s, too coarse for them).
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
      keepAliveTimeout: 5_000,
    },
  }) as Server;
  server.maxConnections = o.maxConnections ?? MAX_AGENT_CONNECTIONS;
  server.setTimeout(o.idleTimeoutMs ?? IDLE_TIMEOUT_MS);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
