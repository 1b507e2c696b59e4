/**
 * The built site the browser tests and benchmarks open: the directory named by
 * EDGE_LAB_SITE_BUILD when it is set (`edge-lab test` builds the site once and
 * passes it on), else a production build made now into a temp directory that
 * release() removes.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Names a directory that already holds `docusaurus build` output. */
export const SITE_BUILD_ENV = 'EDGE_LAB_SITE_BUILD';
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/**
 * Starts with the VM tests' prefix (TEST_VM_PREFIX, kept literal so that `edge-lab test`
 * can import this file without the VM code): the suite's leftover check finds a build that outlived its test.
 */
const TEMP_PREFIX = 'edge-lab-test-site-';

export interface SiteBuild {
  dir: string;
  /** True when this process built it (and release() removes it). */
  built: boolean;
  /** Removes the directory if it was built here; idempotent. */
  release(): Promise<void>;
}

export async function siteBuild(opts: { log?: (line: string) => void } = {}): Promise<SiteBuild> {
  const given = process.env[SITE_BUILD_ENV] ? resolve(process.env[SITE_BUILD_ENV]) : undefined;
  if (given) {
    const ok = await stat(join(given, 'index.html')).then((s) => s.isFile(), () => false);
    if (!ok) throw new Error(`[site-build] ${SITE_BUILD_ENV}=${given} holds no built site (no index.html); build it with \`npx docusaurus build --out-dir ${given}\` or unset ${SITE_BUILD_ENV}`);
    return { dir: given, built: false, release: async () => {} };
  }
  const dir = await mkdtemp(join(tmpdir(), TEMP_PREFIX));
  let released: Promise<void> | undefined;
  const release = (): Promise<void> => (released ??= rm(dir, { recursive: true, force: true }));
  opts.log?.(`building the site into ${dir} (a minute or two; set ${SITE_BUILD_ENV} to reuse a build)`);
  try {
    const { code, output } = await runBuild(dir);
    if (code !== 0) throw new Error(`[site-build] \`docusaurus build\` failed (exit ${code}); its last output:\n${output.slice(-4000)}`);
  } catch (err) {
    await release();
    throw err;
  }
  return { dir, built: true, release };
}

/** `npx --no`: the project's own docusaurus, never a package fetched by that name. */
function runBuild(outDir: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['--no', '--', 'docusaurus', 'build', '--out-dir', outDir], {
      cwd: REPO_ROOT,
      env: { ...process.env, NO_UPDATE_NOTIFIER: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer): void => { output = (output + chunk.toString()).slice(-64 * 1024); };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), output }));
  });
}
