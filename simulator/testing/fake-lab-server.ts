/**
 * A lab server for tests of its doors and of the pages' clients: real HTTP,
 * WebSocket and SQLite, with fake VMs (FakeVmDriver, no disk files) and a
 * stand-in provider image, in a temp directory that close() removes.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestImages } from '../images/guest-images';
import type { HostIo } from '../hosts/host-io';
import { startLabServer, type LabServer, type LabServerOptions } from '../server/lab-server';
import { FakeVmDriver } from '../vm/fake/fake-driver';

/** Host I/O that touches no file: no disk exists, no stick has a boot sector. */
export const NO_FILES_IO: HostIo = { async ensureDisk() {}, async readBootSector() { return null; }, async copy() {}, async exists() { return false; } };

export async function startFakeLabServer(
  o: Omit<LabServerOptions, 'dataDir' | 'driver' | 'io' | 'images'> = {},
): Promise<{ server: LabServer; close: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-fake-server-'));
  const provider = join(dir, 'provider-os.tgz');
  await writeFile(provider, 'not really a provider image');
  const images = { key: 'k', sha256: { 'provider-os.tgz': 'ab'.repeat(32) }, providerOs: provider } as unknown as GuestImages;
  const server = await startLabServer({ ...o, port: o.port ?? 0, dataDir: join(dir, 'data'), driver: new FakeVmDriver(), io: NO_FILES_IO, images });
  return {
    server,
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
