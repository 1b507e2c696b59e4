// A lab server as a process of its own, for tests and chaos runs that kill it (-9) and start it
// again on the same data directory, as a crash would. Prints `listening <url>` once it serves;
// SIGTERM closes it. The optional disk floor and sampling interval let a run fill a small
// data directory and see the server notice within a second.
// Usage: node --import tsx simulator/testing/lab-server-main.ts <data-dir> <port> [<disk-floor-mb> <disk-interval-ms>]
import { startLabServer } from '../server/lab-server';

const [dataDir, port, floorMb, intervalMs] = process.argv.slice(2);
if (!dataDir || !port) {
  process.stderr.write('usage: lab-server-main.ts <data-dir> <port> [<disk-floor-mb> <disk-interval-ms>]\n');
  process.exit(2);
}
const server = await startLabServer({
  dataDir, port: Number(port), prepareCheckpoints: false,
  ...(floorMb ? { diskFloorBytes: Number(floorMb) * 1024 * 1024 } : {}),
  ...(intervalMs ? { diskIntervalMs: Number(intervalMs) } : {}),
});
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', () => { void server.close().then(() => process.exit(0)); });
