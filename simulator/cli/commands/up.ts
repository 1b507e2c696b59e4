// `edge-lab up`: guest images, the site (built into build/ when stale, then served) and the
// simulator, all on 127.0.0.1 (solo mode). With --public-url and --listen (room mode) the lab server
// itself serves the site, its API under /api and its sockets from that one address, for a room.
// Runs until SIGINT/SIGTERM, then stops everything it started.
import { access, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command, OptionValues } from '../command';
import { CliError, UsageError } from '../errors';
import { installSignalHandlers, onShutdown, REPO_ROOT, runChild, startChild } from '../processes';
import { prepareImages } from './images';
import { NPX_NO_INSTALL, SITE_ENV } from './test';
import { parseListen, parsePublicUrl } from '../../server/room/room-options';

const HOST = '127.0.0.1';
const BUILD_DIR = join(REPO_ROOT, 'build');
/** Written into build/ after a successful build; its mtime is when that build started. */
const BUILD_STAMP = join(BUILD_DIR, '.edge-lab-built');
/** Everything the site build reads (besides node_modules). The site imports simulator/pure. */
const SITE_INPUTS = ['docs', 'src', 'static', 'simulator/pure', 'docusaurus.config.ts', 'sidebars.ts', 'tsconfig.json', 'package-lock.json'];
const SERVER_MODULE = join(REPO_ROOT, 'simulator', 'server', 'lab-server.ts');
const SITE_START_TIMEOUT_MS = 60_000;

/** The contract of simulator/server/lab-server.ts. */
interface LabServer { url: string; operator?: { secret: string; source: 'option' | 'env' | 'file' }; close(): Promise<void> }
interface Limits { maxRunningHosts?: number; maxWarmHosts?: number; maxStoredLabs?: number; labExpiryMs?: number }
interface Room { publicUrl: string; siteDir: string; allowSoloLabs: boolean; tls?: { cert: Buffer; key: Buffer } }
type StartLabServer = (opts: { host: string; port: number; allowedOrigins?: string[]; room?: Room } & Limits) => LabServer | Promise<LabServer>;

const say = (line: string): void => void process.stderr.write(`[up] ${line}\n`);

export const upCommand: Command = {
  name: 'up',
  summary: 'bring up the lab: guest images, the site and the simulator on 127.0.0.1',
  synopsis: '[--port-site 3000] [--port-sim 4100] [--public-url URL --listen HOST:PORT [--allow-solo-labs] [--tls-cert FILE --tls-key FILE]] [--max-hosts N] [--max-warm N] [--max-labs N] [--lab-expiry-days N]',
  details: [
    'Builds the site into build/ only when docs/, src/, static/ or the site config changed. Ctrl-C stops everything.',
    '--max-hosts: how many edge hosts may run at once (labs beyond it wait in a queue); default from this machine\'s memory and cores.',
    '--max-warm: how many of those places classes\' warm labs may hold together (default half; always fewer than --max-hosts).',
    '--max-labs: how many labs the simulator keeps at most (default 500); --lab-expiry-days: a lab unused this long is deleted (default 7).',
    'Prints the operator key, which opening a class on the /class page needs (or set your own in EDGE_LAB_OPERATOR_SECRET).',
    'Room mode, for learners on their own computers: --public-url is the address they open (https://lab.example.org behind Caddy, or http://<this machine\'s LAN address>:8080);',
    '--listen is where this process listens (127.0.0.1:8080 behind Caddy on this machine, or 0.0.0.0:8080 to be reached directly). Site, API (/api) and sockets share that one port.',
    '--allow-solo-labs: in room mode, let anyone who reaches the server open a lab of their own (off: labs come from class links and walkthrough invites).',
    '--tls-cert FILE --tls-key FILE: in room mode, serve HTTPS directly with this PEM certificate and key (instead of Caddy in front); the public URL is then https://.',
  ],
  options: {
    'port-site': { type: 'string', default: '3000' }, 'port-sim': { type: 'string', default: '4100' }, 'max-hosts': { type: 'string' },
    'max-warm': { type: 'string' }, 'max-labs': { type: 'string' }, 'lab-expiry-days': { type: 'string' },
    'public-url': { type: 'string' }, listen: { type: 'string' }, 'allow-solo-labs': { type: 'boolean' },
    'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' },
  },
  async run(values) {
    const room = roomOptions(values);
    if (room) return runRoom(room, limitOptions(values));
    const sitePort = portOption(values, 'port-site');
    const simPort = portOption(values, 'port-sim');
    const limits = limitOptions(values);
    if (sitePort === simPort) throw new UsageError('--port-site and --port-sim must differ', 'up');
    installSignalHandlers();
    await access(SERVER_MODULE).catch(() => {
      throw new CliError(`the simulator server is missing: ${SERVER_MODULE} does not exist`);
    });
    await requireFreePort(sitePort, '--port-site <port>');
    await requireFreePort(simPort, '--port-sim <port>');

    await prepareImages();
    await buildSiteIfStale();

    say(`starting the simulator on ${HOST}:${simPort}`);
    const server = await startSimulator(simPort, sitePort, limits);
    onShutdown(() => server.close());

    say(`serving build/ on ${HOST}:${sitePort}`);
    const siteUrl = `http://${HOST}:${sitePort}/`;
    const site = startChild('npx', [...NPX_NO_INSTALL, 'docusaurus', 'serve', '--dir', 'build', '--host', HOST, '--port', String(sitePort), '--no-open'], {
      env: SITE_ENV,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const early = await Promise.race([site.exited, waitForHttp(siteUrl).then(() => undefined)]);
    if (early !== undefined) throw new CliError(`the site server exited at start (exit code ${early})`);

    process.stdout.write(['', 'Edge Lab is running:', `  site       ${siteUrl}`, `  simulator  ${server.url}`, ...operatorLines(server, `${siteUrl}class`), 'Press Ctrl-C to stop.', ''].join('\n'));
    // Returns only if the site server dies on its own; main.ts then stops the simulator.
    const code = await site.exited;
    throw new CliError(`the site server stopped unexpectedly (exit code ${code}); stopping the simulator`);
  },
};

function portOption(values: OptionValues, name: string): number {
  const raw = String(values[name]);
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) throw new UsageError(`--${name} must be a port number (1-65535), not "${raw}"`, 'up');
  return port;
}

/** Fails early and clearly, instead of Docusaurus offering another port or the server failing late. */
function requireFreePort(port: number, option: string, host = HOST): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${err.code ?? err.message})`;
      reject(new CliError(`port ${port} on ${host} ${why}; choose another with ${option}`));
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function buildSiteIfStale(): Promise<void> {
  const built = await stat(BUILD_STAMP).then((s) => s.mtimeMs, () => undefined);
  if (built !== undefined && (await newestMtime(SITE_INPUTS.map((p) => join(REPO_ROOT, p)))) < built) {
    say('site: build/ is up to date');
    return;
  }
  say('building the site into build/ (a minute or two)');
  await rm(BUILD_STAMP, { force: true });
  const started = new Date();
  const code = await runChild('npx', [...NPX_NO_INSTALL, 'docusaurus', 'build', '--out-dir', 'build'], { env: SITE_ENV });
  if (code !== 0) throw new CliError(`the site build failed (exit code ${code}); see the output above`);
  // Dated at the start of the build: a file edited while it ran makes the next `up` rebuild.
  await writeFile(BUILD_STAMP, `${started.toISOString()}\n`);
  await utimes(BUILD_STAMP, started, started);
}

/** Newest mtime of the given files and of everything under the given directories (0 if none exist). */
async function newestMtime(paths: readonly string[]): Promise<number> {
  let newest = 0;
  const visit = async (p: string): Promise<void> => {
    const st = await stat(p).catch(() => undefined);
    if (!st) return;
    newest = Math.max(newest, st.mtimeMs); // A directory's mtime also records deletions.
    if (!st.isDirectory()) return;
    for (const name of await readdir(p)) if (name !== 'node_modules') await visit(join(p, name));
  };
  for (const p of paths) await visit(p);
  return newest;
}

/** The class dashboard's address and the operator key, shown once at start (the key only when this machine made it). */
function operatorLines(server: LabServer, classUrl: string): string[] {
  if (!server.operator) return [];
  const key = server.operator.source === 'env' ? '(the value of EDGE_LAB_OPERATOR_SECRET)' : server.operator.secret;
  return [`  classes    ${classUrl}`, `  operator key ${key}`, '             (to open a class; keep it to yourself)'];
}

function wholeOption(values: OptionValues, name: string, min: number, max: number, what: string): number | undefined {
  if (values[name] === undefined) return undefined;
  const raw = String(values[name]);
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new UsageError(`--${name} must be a whole number of ${what} from ${min} to ${max}, not "${raw}"`, 'up');
  return n;
}

function limitOptions(values: OptionValues): Limits {
  const maxRunningHosts = wholeOption(values, 'max-hosts', 1, 1000, 'hosts');
  const maxWarmHosts = wholeOption(values, 'max-warm', 0, 999, 'host places');
  if (maxWarmHosts !== undefined && maxRunningHosts !== undefined && maxWarmHosts >= maxRunningHosts) {
    throw new UsageError(`--max-warm (${maxWarmHosts}) must be less than --max-hosts (${maxRunningHosts}), so learners who come on their own always find room`, 'up');
  }
  const maxStoredLabs = wholeOption(values, 'max-labs', 1, 100_000, 'labs');
  const days = wholeOption(values, 'lab-expiry-days', 1, 3650, 'days');
  return {
    ...(maxRunningHosts !== undefined ? { maxRunningHosts } : {}),
    ...(maxWarmHosts !== undefined ? { maxWarmHosts } : {}),
    ...(maxStoredLabs !== undefined ? { maxStoredLabs } : {}),
    ...(days !== undefined ? { labExpiryMs: days * 24 * 3600_000 } : {}),
  };
}

async function loadStartLabServer(): Promise<StartLabServer> {
  await access(SERVER_MODULE).catch(() => {
    throw new CliError(`the simulator server is missing: ${SERVER_MODULE} does not exist`);
  });
  // A computed specifier: the module is loaded at run time, by tsx.
  const mod = (await import(pathToFileURL(SERVER_MODULE).href)) as { startLabServer?: StartLabServer };
  if (typeof mod.startLabServer !== 'function') throw new CliError(`${SERVER_MODULE} does not export startLabServer()`);
  return mod.startLabServer;
}

async function startSimulator(port: number, sitePort: number, limits: Limits): Promise<LabServer> {
  const start = await loadStartLabServer();
  // The site's pages call the simulator from their own origin.
  return start({ host: HOST, port, allowedOrigins: [`http://${HOST}:${sitePort}`, `http://localhost:${sitePort}`], ...limits });
}

interface RoomArgs { publicUrl: string; listen: { host: string; port: number }; allowSoloLabs: boolean; tls?: { cert: string; key: string } }

/** --public-url and --listen come together (room mode), or neither does (solo mode). */
function roomOptions(values: OptionValues): RoomArgs | null {
  const rawUrl = values['public-url'] === undefined ? undefined : String(values['public-url']);
  const cert = values['tls-cert'] === undefined ? undefined : String(values['tls-cert']);
  const key = values['tls-key'] === undefined ? undefined : String(values['tls-key']);
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key come together: the PEM certificate and its private key', 'up');
  if (cert !== undefined && rawUrl === undefined) throw new UsageError('--tls-cert is for room mode: add --public-url https://<address> and --listen HOST:PORT', 'up');
  const rawListen = values.listen === undefined ? undefined : String(values.listen);
  if (rawUrl === undefined && rawListen === undefined) {
    if (values['allow-solo-labs']) throw new UsageError('--allow-solo-labs is for room mode (with --public-url and --listen); in solo mode every reader opens a lab of their own already', 'up');
    return null;
  }
  if (rawUrl === undefined) throw new UsageError('--listen needs --public-url: the address learners will open (e.g. --public-url https://lab.example.org)', 'up');
  if (rawListen === undefined) throw new UsageError('--public-url needs --listen: where this process listens (127.0.0.1:8080 behind Caddy, 0.0.0.0:8080 to be reached directly)', 'up');
  const url = parsePublicUrl(rawUrl);
  if (!url.ok) throw new UsageError(url.message, 'up');
  const listen = parseListen(rawListen);
  if (!listen.ok) throw new UsageError(listen.message, 'up');
  if (cert !== undefined && !url.value.secure) throw new UsageError(`with --tls-cert the public URL is https://, not ${url.value.origin}`, 'up');
  return { publicUrl: url.value.origin, listen: listen.value, allowSoloLabs: values['allow-solo-labs'] === true, ...(cert !== undefined && key !== undefined ? { tls: { cert, key } } : {}) };
}

async function readPem(file: string, option: string): Promise<Buffer> {
  const pem = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`${option} ${file}: cannot read it (${err.code ?? err.message})`);
  });
  if (!pem.toString('utf8').includes('-----BEGIN ')) throw new CliError(`${option} ${file}: not a PEM file (no "-----BEGIN" line); give the certificate and key in PEM form`);
  return pem;
}

/** Room mode: one process, one port: the site, the API under /api and the sockets. */
async function runRoom(room: RoomArgs, limits: Limits): Promise<void> {
  installSignalHandlers();
  const start = await loadStartLabServer();
  const tls = room.tls ? { cert: await readPem(room.tls.cert, '--tls-cert'), key: await readPem(room.tls.key, '--tls-key') } : undefined;
  await requireFreePort(room.listen.port, '--listen', room.listen.host);
  await prepareImages();
  await buildSiteIfStale();
  say(`serving the site, the API (/api) and the sockets on ${room.listen.host}:${room.listen.port} for ${room.publicUrl}`);
  const server = await start({ host: room.listen.host, port: room.listen.port, room: { publicUrl: room.publicUrl, siteDir: BUILD_DIR, allowSoloLabs: room.allowSoloLabs, ...(tls ? { tls } : {}) }, ...limits });
  onShutdown(() => server.close());
  process.stdout.write([
    '', 'Edge Lab is serving a room:',
    `  learners   ${room.publicUrl}/  (they join through the links the class page gives you)`,
    ...operatorLines(server, `${room.publicUrl}/class`),
    `  labs of one's own ${room.allowSoloLabs ? 'allowed (--allow-solo-labs)' : 'off: labs come from class links and walkthrough invites'}`,
    'Press Ctrl-C to stop.', '',
  ].join('\n'));
  await new Promise<never>(() => { /* until a signal stops the process (processes.ts) */ });
}

async function waitForHttp(url: string): Promise<void> {
  const deadline = Date.now() + SITE_START_TIMEOUT_MS;
  for (;;) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status < 500, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new CliError(`the site server did not answer at ${url} within ${SITE_START_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
