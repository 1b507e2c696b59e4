// The lab server watches the free space of its data directory's filesystem: below the floor it
// refuses new labs, installers and powering hosts on with the reason, every open lab shows it, and hosts QEMU paused
// on the full disk run on by themselves when space returns. Free space comes from an injected
// sampler here; simulator/hosts/io-pause.vm.test.ts fills a real filesystem under a real VM.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestImages } from '../images/guest-images';
import { createLab, LabClient } from '../scenarios/lab-client';
import { NO_FILES_IO } from '../testing/fake-lab-server';
import { FakeVmDriver } from '../vm/fake/fake-driver';
import { startLabServer, type LabServer } from './lab-server';

const MiB = 1024 * 1024;
let free = 4096 * MiB;
let dir: string;
let server: LabServer;
const driver = new FakeVmDriver();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-disk-low-'));
  const provider = join(dir, 'provider-os.tgz');
  await writeFile(provider, 'not really a provider image');
  const images = { key: 'k', sha256: { 'provider-os.tgz': 'ab'.repeat(32) }, providerOs: provider } as unknown as GuestImages;
  server = await startLabServer({ port: 0, dataDir: join(dir, 'data'), driver, io: NO_FILES_IO, images, prepareCheckpoints: false, diskSampler: async () => free });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const until = async (cond: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('the lab server on a filling disk', () => {
  it('refuses new labs, installers and powering on below the floor, shows it in open labs, and resumes paused hosts when space returns', async () => {
    const lab = await createLab(server.url, 'single-node');
    const client = new LabClient(server.url, lab);
    await client.connect();
    await client.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_ON');
    await client.waitForView((v) => v.hosts['edge-host-1']?.tags.includes('on') === true, 5_000, 'the host to be on');
    const vm = driver.vms.at(-1)!;

    free = 100 * MiB;
    vm.ioError();
    const low = await client.waitForView((v) => (v.data.notices ?? []).some((n) => n.kind === 'disk-low') && v.hosts['edge-host-1']?.tags.includes('paused') === true, 5_000, 'the disk notice and the paused host');
    expect(low.data.notices?.find((n) => n.kind === 'disk-low')).toMatchObject({
      severity: 'error', hosts: ['edge-host-1'],
      message: expect.stringMatching(/^\[disk-space\] free space 100 MiB on .* is below the floor of 512 MiB.*Free space on that filesystem.*edge-host-1 is paused until then and goes on by itself once there is room/),
    });

    const refused = await fetch(`${server.url}/labs`, { method: 'POST', headers: { 'content-type': 'application/json', origin: server.url }, body: JSON.stringify({ scenario: 'single-node' }) });
    expect(refused.status).toBe(507);
    expect(await refused.json()).toMatchObject({ error: 'disk-low', message: expect.stringMatching(/free space 100 MiB.*No lab was opened\./) });
    const noInstaller = await client.http('POST', '/installers', { userData: '#cloud-config\n' });
    expect(noInstaller).toMatchObject({ status: 507, body: { error: 'disk-low', message: expect.stringMatching(/Nothing was built\./) } });

    free = 4096 * MiB;
    const back = await client.waitForView((v) => !(v.data.notices ?? []).length && v.hosts['edge-host-1']?.tags.includes('paused') === false, 5_000, 'the host to run on');
    expect(back.hosts['edge-host-1']?.tags).toContain('on');
    await until(() => vm.status === 'running', 'QEMU to run the guest again');
    const log = (await client.http('GET', '/events')).body.events.map((e: { type: string }) => e.type);
    expect(log.filter((t: string) => t === 'host.io')).toHaveLength(2);

    // Below the floor a host that is off stays off (it would pause at its first write), with the reason.
    await client.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_OFF');
    await client.waitForView((v) => v.hosts['edge-host-1']?.tags.includes('off') === true, 5_000, 'the host to be off');
    free = 100 * MiB;
    await client.waitForView((v) => (v.data.notices ?? []).some((n) => n.kind === 'disk-low'), 5_000, 'the disk notice');
    await expect(client.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_ON')).rejects.toThrow(/POWER_ON was refused: \[lab\] edge-host-1 stays off for now: free space 100 MiB on .* is below the floor of 512 MiB/);
    free = 4096 * MiB;
    await client.waitForView((v) => !(v.data.notices ?? []).length, 5_000, 'the disk notice to go');
    await client.command({ kind: 'host', hostId: 'edge-host-1' }, 'POWER_ON');
    await client.waitForView((v) => v.hosts['edge-host-1']?.tags.includes('on') === true, 5_000, 'the host to be on again');
    client.close();
  });
});
