// The agent listener on a real loopback socket, spoken to with raw HTTP/1.1 as busybox wget
// (through the guestfwd helper) and as other local processes would.
import { connect, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_WAIT_S } from '../agent-bodies';
import { openKit, registerHosts, withToken, type Kit } from '../test-kit';
import { HEADERS_TIMEOUT_MS, IDLE_TIMEOUT_MS, listenAgent, MAX_AGENT_CONNECTIONS, REQUEST_TIMEOUT_MS, type AgentListener } from './agent-listener';

const NAMES = ['api.palette.lab', 'registry.lab'];
let kit: Kit;
let key: string;
const listeners: AgentListener[] = [];
const sockets: Socket[] = [];
beforeEach(async () => {
  kit = await openKit('memory');
  key = (await registerHosts(kit.palette, await withToken(kit.palette), 1))['edge-1']!;
});
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const l of listeners.splice(0)) await l.close();
  await kit.dispose();
});

async function listen(o: Partial<Parameters<typeof listenAgent>[1]> = {}): Promise<AgentListener> {
  const l = await listenAgent(kit.palette, { endpointNames: NAMES, ...o });
  listeners.push(l);
  return l;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
    sockets.push(s);
  });
}

/** Everything the server sends until it closes the connection, and when it closed (ms after `start`). */
function drain(s: Socket, start = Date.now()): Promise<{ text: string; closedAfterMs: number }> {
  let text = '';
  s.on('data', (d: Buffer) => { text += d.toString('latin1'); });
  return new Promise((resolve) => {
    s.once('close', () => resolve({ text, closedAfterMs: Date.now() - start }));
    s.on('error', () => {});
  });
}

/** One raw request, as busybox wget writes it (`Connection: close`); the raw reply. */
async function raw(port: number, head: string, body = ''): Promise<string> {
  const s = await open(port);
  const done = drain(s);
  s.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  return (await done).text;
}

const heartbeat = JSON.stringify({ hostId: 'edge-1', ip: '', wait: 0 });
const wgetHead = (host: string, extra = '') =>
  `POST /v1/edge/hosts/edge-1/heartbeat HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: Wget\r\nContent-Type: application/json\r\nAuthorization: Bearer ${key}${extra}`;

describe('agent listener on a loopback socket', () => {
  it('answers a request as wget sends it through the guest forward, and refuses other Hosts and absolute targets naming the endpoint', async () => {
    const l = await listen();
    expect(await raw(l.port, wgetHead('api.palette.lab'), heartbeat)).toMatch(/^HTTP\/1\.1 200 [\s\S]*\{"status":"ok"\}/);
    expect(await raw(l.port, wgetHead(`127.0.0.1:${l.port}`), heartbeat)).toMatch(/^HTTP\/1\.1 403 [\s\S]*Host header is '127\.0\.0\.1:\d+'/);
    expect(await raw(l.port, wgetHead('rebound.example.com'), heartbeat)).toMatch(/^HTTP\/1\.1 403 /);
    // The Host header decides, even when the request line names the endpoint.
    const absolute = wgetHead('evil.example').replace('POST /v1/', 'POST http://api.palette.lab/v1/');
    expect(await raw(l.port, absolute, heartbeat)).toMatch(/^HTTP\/1\.1 403 /);
    expect(await raw(l.port, wgetHead('api.palette.lab', '\r\nOrigin: http://localhost:3000'), heartbeat)).toMatch(/^HTTP\/1\.1 403 [\s\S]*web page/);
    // HTTP/1.0 without a Host header.
    expect(await raw(l.port, 'GET /v2/edge-lab-provider/blobs/sha256:00 HTTP/1.0')).toMatch(/^HTTP\/1\.1 (400|403) /);
  });

  it('uses the documented bounds by default: long enough for the 25 s long poll and its 35 s client timeout', async () => {
    const l = await listen();
    expect(l.server.maxConnections).toBe(MAX_AGENT_CONNECTIONS);
    expect(MAX_AGENT_CONNECTIONS).toBeGreaterThanOrEqual(24);
    expect(l.server.headersTimeout).toBe(HEADERS_TIMEOUT_MS);
    expect(l.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(l.server.timeout).toBe(IDLE_TIMEOUT_MS);
    expect(IDLE_TIMEOUT_MS).toBeGreaterThan(35_000);
    expect(IDLE_TIMEOUT_MS).toBeGreaterThan(MAX_WAIT_S * 1000);
  });

  it('drops connections beyond its cap at once, and takes new ones when some close', async () => {
    const l = await listen({ maxConnections: 3 });
    const held = await Promise.all([0, 1, 2].map(() => open(l.port)));
    // Give the server the time to count them.
    await new Promise((r) => setTimeout(r, 100));
    const extra = await open(l.port);
    const dropped = await drain(extra);
    expect(dropped).toMatchObject({ text: '' });
    expect(dropped.closedAfterMs).toBeLessThan(1_000);
    held[0]!.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(await raw(l.port, wgetHead('api.palette.lab'), heartbeat)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('closes a connection whose headers do not arrive in time, yet holds a long-poll heartbeat well past the request timeouts', async () => {
    const l = await listen({ headersTimeoutMs: 500, requestTimeoutMs: 800, idleTimeoutMs: 5_000 });
    const slow = await open(l.port);
    const start = Date.now();
    const cut = drain(slow, start);
    slow.write('POST /v1/edge/hosts/edge-1/heartbeat HTTP/1.1\r\nHost: api.palette.lab\r\n');
    const r = await cut;
    expect(r.closedAfterMs).toBeLessThan(3_000);
    expect(r.text === '' || /^HTTP\/1\.1 408 /.test(r.text)).toBe(true);

    const t0 = Date.now();
    const held = await raw(l.port, wgetHead('api.palette.lab'), JSON.stringify({ hostId: 'edge-1', ip: '', wait: 2 }));
    expect(held).toMatch(/^HTTP\/1\.1 200 [\s\S]*\{"status":"ok"\}/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1_900);
  });
});
