// A real crash of the lab server: the process is killed (-9) just after a host was told to power
// on, its QEMU dies with it, and a new server on the same data directory takes the lab up again.
// The page's client reconnects with its last seq and must see the restart named, the host off with
// Power on offered (it used to stay "Powering on" for ever), and a log without gap or duplicate.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, LabClient } from '../scenarios/lab-client';
import { processesMatching } from '../testing/leftovers';
import { startLabServerProcess, type LabServerProcess } from '../testing/lab-server-process';

let dataDir: string;
let server: LabServerProcess | null = null;

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
  s.on('error', reject);
});

beforeAll(async () => { dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-server-restart-')); });
afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the lab server killed and started again on the same data', () => {
  it('names the restart, offers Power on for a host that was powering on, and keeps the log whole', async () => {
    const port = await freePort();
    server = await startLabServerProcess(dataDir, port);
    const lab = await createLab(server.url, 'single-node');
    const before = new LabClient(server.url, lab);
    await before.connect();
    await before.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_ON');
    const seenSeq = before.seq;
    await server.kill();
    const killedAt = performance.now();
    before.close();
    // No QEMU outlives the server that started it.
    expect(await processesMatching(dataDir)).toEqual([]);

    server = await startLabServerProcess(dataDir, port);
    const after = new LabClient(server.url, lab);
    after.seq = seenSeq;
    await after.connect();
    const back = await after.waitForView((v) => v.hosts['edge-host-1']?.state === 'poweredOff', 30_000, 'the host to be off after the restart');
    const liveMs = performance.now() - killedAt;
    expect(back.hosts['edge-host-1']).toMatchObject({ allowed: expect.arrayContaining(['POWER_ON']), data: { lastPowerOff: 'server-restarted', hint: expect.stringMatching(/lab server restarted/) } });
    expect(back.data.notices).toEqual([expect.objectContaining({ kind: 'server-restarted', hosts: ['edge-host-1'] })]);

    await after.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_ON');
    await after.waitForView((v) => v.hosts['edge-host-1']?.tags.includes('on') === true && !(v.data.notices ?? []).length, 60_000, 'the host to be on again');

    const { events } = (await after.call('GET', '/events', undefined, [200], 'reading the log')) as { events: { seq: number; type: string; change?: { reason?: string } }[] };
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.some((e) => e.type === 'lab.simulator-restarted')).toBe(true);
    expect(events.some((e) => e.type === 'host.power' && e.change?.reason === 'server-restarted')).toBe(true);
    after.close();
    console.log(`[server-restart] kill -9 → restarted → the page's lab live again in ${(liveMs / 1000).toFixed(2)} s`);
  });
});
