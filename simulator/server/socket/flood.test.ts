// What one token holder can cost the lab server through its socket, against the real lab server
// (HTTP, WebSocket, SQLite) with the fake VM driver: floods of protocol pings and of WebSocket
// control pings are cut with close 4004 while /healthz and the other pages stay responsive, and
// console input is held to each host's budget, shared by every socket typing into it.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textToBase64, type ServerMessage } from '../../pure/protocol';
import { LAB_SOCKET_CLOSE } from '../../pure/protocol/close-codes';
import type { GuestImages } from '../../images/guest-images';
import { SCENARIOS } from '../../pure/scenarios';
import { createLab } from '../../scenarios/lab-client';
import { NO_FILES_IO } from '../../testing/fake-lab-server';
import { FakeVmDriver, type FakeVm } from '../../vm/fake/fake-driver';
import { startLabServer, type LabServer } from '../lab-server';
import { CONSOLE_INPUT_LIMIT } from '../../limits/console-input-budget';
import { REPORT_AFTER_MS } from './console-drop-notices';
import { controlPingFrames, PING_FRAMES, RawLabSocket, type CloseSeen } from './flood-kit';
import { FLOOD_CLOSE_GRACE_MS } from './lab-socket';
import { DEFAULT_SOCKET_RATE_LIMITS } from './rate-limits';
import { connect, refusal, SITE, type TestClient } from './test-kit';
import { DEFAULT_UPGRADE_LIMIT } from './upgrade-budget';

let server: LabServer;
let dir: string;
const driver = new FakeVmDriver();
const opened: TestClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-flood-'));
  const provider = join(dir, 'provider-os.tgz');
  await writeFile(provider, 'not really a provider image');
  const images = { key: 'k', sha256: { 'provider-os.tgz': 'ab'.repeat(32) }, providerOs: provider } as unknown as GuestImages;
  server = await startLabServer({ port: 0, dataDir: join(dir, 'data'), driver, io: NO_FILES_IO, images, allowedOrigins: [SITE], labsPerMinute: 100 });
});
afterAll(async () => {
  for (const c of opened) c.ws.terminate();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function newLab(): Promise<{ labId: string; url: string }> {
  const lab = await createLab(server.url, 'single-node');
  return { labId: lab.labId, url: `${server.url.replace(/^http/, 'ws')}/labs/${lab.labId}/socket?token=${encodeURIComponent(lab.token)}` };
}

async function page(url: string): Promise<TestClient> {
  const c = await connect(url);
  opened.push(c);
  c.hello();
  await c.next('view');
  return c;
}

/** GET /healthz every 10 ms (or as soon as the last answered) until `until` settles; each answer's time in ms. */
async function probeHealthz(until: Promise<unknown>): Promise<number[]> {
  let over = false;
  void until.finally(() => (over = true));
  const times: number[] = [];
  while (!over) {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const took = performance.now() - t0;
    times.push(took);
    if (took < 10) await new Promise((resolve) => setTimeout(resolve, 10 - took));
  }
  return times;
}

/** Sequential /healthz for `ms` without a flood: what this machine gives now, for the failure messages. */
async function quietP99(ms = 500): Promise<number> {
  return p99(await probeHealthz(new Promise((resolve) => setTimeout(resolve, ms))));
}

/** This process's CPU time over `run` as a share of one core (the server, the flooder and the probe). */
async function cpuShare<T>(run: () => Promise<T>): Promise<{ result: T; share: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await run();
  const used = process.cpuUsage(c0);
  return { result, share: (used.user + used.system) / 1000 / (performance.now() - t0) };
}

function p99(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;
}

/**
 * The most hostile page: floods `frames` as fast as it can, goes on after the server's close
 * until the server drops it, then opens another socket and again, for about `ms`. Each round's
 * close, and how long the server took to drop the connection.
 */
async function floodFor(url: string, frames: Buffer, ms: number): Promise<{ close: CloseSeen | null; lastedMs: number }[]> {
  const rounds: { close: CloseSeen | null; lastedMs: number }[] = [];
  for (const end = Date.now() + ms; Date.now() < end;) {
    const raw = await RawLabSocket.open(url, SITE);
    const t0 = performance.now();
    const { close } = await raw.flood(frames, 10_000, { ignoreClose: true });
    rounds.push({ close, lastedMs: performance.now() - t0 });
  }
  return rounds;
}

async function stillServes(c: TestClient): Promise<void> {
  c.send({ type: 'ping' });
  expect(await c.next('pong')).toEqual({ type: 'pong' });
}

describe('floods', () => {
  it('closes a page flooding protocol pings with 4004 and a reason, while /healthz and other pages stay responsive', async () => {
    const { url } = await newLab();
    const bystander = await page(url);
    const quiet = await quietP99();
    const { result: [times, rounds], share } = await cpuShare(async () => {
      const flood = floodFor(url, PING_FRAMES, 2500);
      return [await probeHealthz(flood), await flood] as const;
    });
    expect(rounds.length).toBeGreaterThan(1);
    const { frames } = DEFAULT_SOCKET_RATE_LIMITS;
    for (const r of rounds) {
      expect(r.close).toEqual({ code: LAB_SOCKET_CLOSE.tooManyMessages, reason: `[lab-socket] this page sent over ${frames.perSecond} messages/s (bursts of ${frames.burst}); closed, it reconnects after a pause` });
      // Dropped once the close had time to arrive, not after ws's 30 s close timeout (generous: a busy CI machine).
      expect(r.lastedMs).toBeLessThan(FLOOD_CLOSE_GRACE_MS + 10_000);
    }
    // Every probe was answered 200 while the flood ran (probeHealthz checks each). How fast is a
    // figure, not a pass/fail here (the brief keeps timings out of tests): `npm run bench` reports
    // it as healthz_under_flood_ms against its 100 ms target. Printed for whoever reads this run.
    expect(times.length, 'healthz answers during the flood').toBeGreaterThan(10);
    console.log(`[flood.test] /healthz during the flood: p99 ${p99(times).toFixed(1)} ms over ${times.length} requests (quiet: ${quiet.toFixed(1)} ms); this process used ${share.toFixed(2)} cores`);
    await stillServes(bystander);
  });

  it('closes a page flooding WebSocket control pings with 4004, within ws\'s own limit', async () => {
    const { url } = await newLab();
    const bystander = await page(url);
    const quiet = await quietP99();
    const { result: [times, rounds], share } = await cpuShare(async () => {
      const flood = floodFor(url, controlPingFrames(10_000), 1500);
      return [await probeHealthz(flood), await flood] as const;
    });
    const { control } = DEFAULT_SOCKET_RATE_LIMITS;
    for (const r of rounds) {
      expect(r.close).toEqual({ code: LAB_SOCKET_CLOSE.tooManyMessages, reason: `[lab-socket] over ${control.perSecond} WebSocket pings or pongs/s (bursts of ${control.burst}); closed, the page reconnects after a pause` });
      expect(r.lastedMs).toBeLessThan(FLOOD_CLOSE_GRACE_MS + 10_000);
    }
    expect(times.length, 'healthz answers during the flood').toBeGreaterThan(10);
    console.log(`[flood.test] /healthz during the control-ping flood: p99 ${p99(times).toFixed(1)} ms over ${times.length} requests (quiet: ${quiet.toFixed(1)} ms); this process used ${share.toFixed(2)} cores`);
    await stillServes(bystander);
  });

  it('refuses a session that reconnects in a loop with 429, and lets other sessions in', async () => {
    const { url } = await newLab();
    const { burst, perSecond } = DEFAULT_UPGRADE_LIMIT;
    for (let i = 0; i < burst; i++) (await connect(url)).ws.terminate();
    const refused = await refusal(url);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatch(/^\[lab-socket\] this session opened more than 20 lab sockets/);
    expect(refused.headers['retry-after']).toBe(String(Math.ceil(1 / perSecond)));
    // Another reader's lab is not held back by this one's loop.
    const other = await newLab();
    await stillServes(await page(other.url));
    // The budget refills: one more socket after its interval.
    await new Promise((resolve) => setTimeout(resolve, 1000 / perSecond + 100));
    (await connect(url)).ws.terminate();
  });

  it('lets a page send its burst of frames, and goes on answering within the rate', async () => {
    const { url } = await newLab();
    const c = await page(url);
    const { frames } = DEFAULT_SOCKET_RATE_LIMITS;
    for (let i = 0; i < frames.burst - 10; i++) c.send({ type: 'ping' });
    await expect.poll(() => c.messages.filter((m) => m.type === 'pong').length).toBe(frames.burst - 10);
    await new Promise((r) => setTimeout(r, 500)); // refills ~50 frames
    for (let i = 0; i < 40; i++) c.send({ type: 'ping' });
    await expect.poll(() => c.messages.filter((m) => m.type === 'pong').length).toBe(frames.burst + 30);
    expect(c.ws.readyState).toBe(c.ws.OPEN);
  });
});

describe('console input budget', () => {
  /** A lab with edge-host-1 powered on, and its fake VM. */
  async function poweredHost(): Promise<{ url: string; vm: FakeVm; typist: TestClient }> {
    const { url } = await newLab();
    const before = driver.vms.length;
    const typist = await page(url);
    typist.send({ type: 'command', id: 'on', target: { kind: 'host', hostId: 'edge-host-1' }, name: 'POWER_ON' });
    expect(await typist.next('command.result')).toMatchObject({ ok: true });
    await expect.poll(() => driver.vms.length).toBe(before + 1);
    return { url, vm: driver.vms.at(-1)!, typist };
  }
  const type = (c: TestClient, text: string) => c.send({ type: 'console.input', hostId: 'edge-host-1', data: textToBase64(text) });
  const errors = (c: TestClient): ServerMessage[] => c.messages.filter((m) => m.type === 'error');

  it('delivers typing and pastes within the budget whole and in order, with no error', async () => {
    const { vm, typist } = await poweredHost();
    let sent = '';
    for (let i = 0; i < 200; i++) {
      const key = String.fromCharCode(97 + (i % 26));
      type(typist, key);
      sent += key;
    }
    const paste = `${'#cloud-config\n'.padEnd(60, 'x')}\n`.repeat(100); // 6.1 KB
    type(typist, paste);
    sent += paste;
    type(typist, 'kubectl get nodes\n');
    sent += 'kubectl get nodes\n';
    await expect.poll(() => vm.consoleInput.length).toBe(sent.length);
    expect(vm.consoleInput).toBe(sent);
    await new Promise((r) => setTimeout(r, REPORT_AFTER_MS + 100));
    expect(errors(typist)).toEqual([]);
  });

  it('drops input over the budget and tells the sender once per burst', async () => {
    const { vm, typist } = await poweredHost();
    const t0 = performance.now();
    const chunk = 'y'.repeat(8 * 1024);
    for (let i = 0; i < 6; i++) type(typist, chunk); // 48 KiB at once
    const error = await typist.next('error');
    const elapsed = (performance.now() - t0) / 1000;
    const written = vm.consoleInput.length;
    const { burst, perSecond } = CONSOLE_INPUT_LIMIT;
    expect(written).toBeGreaterThanOrEqual(burst);
    expect(written).toBeLessThanOrEqual(burst + Math.ceil(elapsed * perSecond));
    expect(vm.consoleInput).toBe('y'.repeat(written));
    expect(error).toEqual({
      type: 'error', code: 'console-input-limited',
      message: `[lab-socket] console input to edge-host-1 is limited to ${perSecond} bytes/s (${burst} at once); ${6 * chunk.length - written} bytes were dropped, and more are until the input slows down; paste less at once`,
    });
    // Still over the budget: dropped, and no second error in the same burst.
    for (let i = 0; i < 4; i++) type(typist, chunk);
    await new Promise((r) => setTimeout(r, REPORT_AFTER_MS + 200));
    expect(errors(typist)).toHaveLength(1);
    expect(vm.consoleInput.length).toBeLessThan(written + 8 * 1024);
  });

  it('leaves the commands the guides type (<Run>, Show me) far inside the budget', async () => {
    const docs = join(import.meta.dirname, '../../../docs');
    const runs: string[] = [];
    for (const f of (await readdir(docs)).filter((n) => n.endsWith('.md'))) {
      for (const m of (await readFile(join(docs, f), 'utf8')).matchAll(/<Run[^>]*>([\s\S]*?)<\/Run>/g)) runs.push(`${m[1]!}\n`);
    }
    expect(runs.length, '<Run> commands found in docs/').toBeGreaterThan(0);
    // Show me types `<command>; echo "@@$((<n>+0))@@"` (src/lab/client/scenario-driver.ts).
    const shown = SCENARIOS.map((sc) => `${sc.verify.command}; echo "@@$((${Number.MAX_SAFE_INTEGER}+0))@@"\n`);
    for (const typed of [...runs, ...shown]) expect(new TextEncoder().encode(typed).length, typed).toBeLessThan(CONSOLE_INPUT_LIMIT.burst / 20);
  });

  it('shares the budget between two sockets typing into the same host', async () => {
    const { url, vm, typist } = await poweredHost();
    const other = await page(url);
    const t0 = performance.now();
    const half = 12 * 1024;
    type(typist, 'a'.repeat(half));
    type(other, 'b'.repeat(half));
    const error = await other.next('error');
    const elapsed = (performance.now() - t0) / 1000;
    const { burst, perSecond } = CONSOLE_INPUT_LIMIT;
    expect(error).toMatchObject({ code: 'console-input-limited', message: expect.stringContaining('console input to edge-host-1') });
    expect(vm.consoleInput.startsWith('a'.repeat(half))).toBe(true);
    const b = vm.consoleInput.length - half;
    expect(b).toBeGreaterThan(0);
    expect(b).toBeLessThanOrEqual(burst - half + Math.ceil(elapsed * perSecond));
    expect(errors(typist)).toEqual([]);
  });
});
