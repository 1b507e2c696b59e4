// A lab server as a process of its own, for tests that kill it (-9) and start it again on the
// same data directory, as a crash would. Prints `listening <url>` once it serves; SIGTERM closes it.
// Usage: node --import tsx simulator/testing/lab-server-main.ts <data-dir> <port>
import { startLabServer } from '../server/lab-server';

const [dataDir, port] = process.argv.slice(2);
if (!dataDir || !port) {
  process.stderr.write('usage: lab-server-main.ts <data-dir> <port>\n');
  process.exit(2);
}
const server = await startLabServer({ dataDir, port: Number(port), prepareCheckpoints: false });
process.stdout.write(`listening ${server.url}\n`);
process.once('SIGTERM', () => { void server.close().then(() => process.exit(0)); });
