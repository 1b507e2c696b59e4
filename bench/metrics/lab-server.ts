/**
 * A lab server of the benchmark's own: started on a free loopback port with a
 * throw-away data directory, closed (VMs stopped, directory deleted) after use.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabServer, type LabServer, type LabServerOptions } from '../../simulator/server/lab-server';

export async function benchLabServer(o: Pick<LabServerOptions, 'maxRunningHosts' | 'labsPerMinute'> = {}): Promise<{ server: LabServer; close: () => Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-bench-server-'));
  const server = await startLabServer({ port: 0, dataDir, ...o });
  return {
    server,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
