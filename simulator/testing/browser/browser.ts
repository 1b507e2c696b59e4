/**
 * Headless Chromium (Debian's, through playwright-core) for the browser tests
 * and benchmarks, and pages of the guide pointed at a given lab server.
 *
 * The browser runs in its own process group (Playwright starts it detached),
 * except its crash handlers, which leave the group but inherit the environment.
 * close() closes it, then kills whatever is left of the group and of the
 * processes with its environment marker, and removes its temp entries, so no
 * Chromium outlives a test. Its main process carries `--edge-lab-test-browser=<id>`
 * (BROWSER_MARKER, an unknown switch Chromium ignores) and every process it
 * starts directly carries EDGE_LAB_TEST_BROWSER=<id> in its environment, for the
 * VM suite's leftover check.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { LAB_SERVER_OVERRIDE_KEY } from '../../../src/lab/lab-server-override';
import { BROWSER_ENV_MARKER, BROWSER_MARKER } from '../leftovers';

export const CHROMIUM_PATH = process.env.EDGE_LAB_CHROMIUM ?? '/usr/bin/chromium';
export { BROWSER_ENV_MARKER, BROWSER_MARKER };
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results', 'screenshots');
const CLOSE_GRACE_MS = 10_000;

export interface LaunchedBrowser {
  browser: Browser;
  /** The main process; also its process group. */
  pid: number;
  /** Closes the browser; kills its process group if anything of it is left. Idempotent. */
  close(): Promise<void>;
}

/**
 * Headless Chromium; with `netns`, inside that network namespace (testing/netns.ts): Playwright
 * starts a small script that enters it and execs Chromium, and talks to it over pipes as ever.
 */
export async function launchBrowser(o: { netns?: string } = {}): Promise<LaunchedBrowser> {
  const id = randomUUID();
  const marker = `--${BROWSER_MARKER}=${id}`;
  const envMark = `${BROWSER_ENV_MARKER}=${id}`;
  const wrapperDir = o.netns ? await mkdtemp(join(tmpdir(), 'edge-lab-test-browser-netns-')) : undefined;
  let executablePath = CHROMIUM_PATH;
  if (wrapperDir && o.netns) {
    executablePath = join(wrapperDir, 'chromium-in-netns');
    await writeFile(executablePath, `#!/bin/sh\nexec ip netns exec '${o.netns}' '${CHROMIUM_PATH}' "$@"\n`, { mode: 0o755 });
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', marker],
    // Chromium's crash handlers leave the process group; they inherit the environment.
    env: { ...process.env, [BROWSER_ENV_MARKER]: id },
  });
  const main = (await processesWhere((p) => p.cmdline.includes(marker)))[0];
  if (!main) {
    await browser.close().catch(() => {});
    if (wrapperDir) await rm(wrapperDir, { recursive: true, force: true });
    throw new Error(`[browser] Chromium started but no process carries ${marker}; cannot make sure it stops`);
  }
  const userDataDir = /--user-data-dir=(\S+)/.exec(main.cmdline)?.[1];
  // Chromium's singleton socket lives in a temp dir of its own, left behind if the browser is killed.
  const singletonDir = userDataDir ? await readlink(join(userDataDir, 'SingletonSocket')).then((l) => dirname(l), () => undefined) : undefined;
  let closing: Promise<void> | undefined;
  return {
    browser, pid: main.pid,
    close() {
      closing ??= (async () => {
        await Promise.race([browser.close().catch(() => {}), sleep(CLOSE_GRACE_MS)]);
        await killAll((p) => p.pgid === main.pgid || p.environ.includes(envMark));
        for (const dir of [userDataDir, singletonDir, wrapperDir]) if (dir?.startsWith('/tmp/')) await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/** What went wrong in a page: console errors and uncaught exceptions, as text. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
}

export interface GuidePage {
  page: Page;
  problems: PageProblems;
  /** An absolute URL of the site for a path such as `/register-edge-host`. */
  url(path: string): string;
}

/**
 * A page of the site at `siteUrl` whose lab parts use the lab server at
 * `labServerUrl` (set in localStorage before any script of the page runs);
 * null leaves the page to find it itself (a room-mode page, from its meta tags).
 */
export async function newGuidePage(context: BrowserContext, siteUrl: string, labServerUrl: string | null): Promise<GuidePage> {
  if (labServerUrl !== null) {
    await context.addInitScript(([key, url]) => {
      try { window.localStorage.setItem(key, url); } catch { /* about:blank and other opaque origins have no storage */ }
    }, [LAB_SERVER_OVERRIDE_KEY, labServerUrl] as const);
  }
  const page = await context.newPage();
  const problems: PageProblems = { consoleErrors: [], pageErrors: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.consoleErrors.push(`${m.text()}${m.location().url ? ` (${m.location().url})` : ''}`); });
  page.on('pageerror', (e) => problems.pageErrors.push(e.stack ?? e.message));
  const base = siteUrl.replace(/\/+$/, '');
  return { page, problems, url: (path) => `${base}${path.startsWith('/') ? path : `/${path}`}` };
}

/** Saves a PNG of the page as test-results/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = join(SCREENSHOT_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await writeFile(file, await page.screenshot({ fullPage: true }));
  return file;
}

interface Proc { pid: number; pgid: number; cmdline: string; environ: string; zombie: boolean }

async function processesWhere(pred: (p: Proc) => boolean): Promise<Proc[]> {
  const out: Proc[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const p = await readProc(Number(name));
    if (p && pred(p)) out.push(p);
  }
  return out;
}

async function readProc(pid: number): Promise<Proc | null> {
  try {
    const [cmdline, stat, environ] = await Promise.all([
      readFile(`/proc/${pid}/cmdline`, 'utf8'), readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/environ`, 'utf8').catch(() => ''),
    ]);
    // Fields after the command name, which may hold spaces and parentheses: state ppid pgrp …
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, pgid: Number(fields[2]), cmdline: cmdline.replace(/\0/g, ' ').trim(), environ: environ.replace(/\0/g, '\n'), zombie: fields[0] === 'Z' };
  } catch {
    return null;
  }
}

/** SIGKILL to every process matching `pred` until none is left (zombies aside: their parent reaps them). */
async function killAll(pred: (p: Proc) => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const alive = await processesWhere((p) => !p.zombie && pred(p));
    if (alive.length === 0) return;
    for (const p of alive) { try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ } }
    if (Date.now() > deadline) throw new Error(`[browser] Chromium process(es) ${alive.map((p) => p.pid).join(' ')} survive SIGKILL`);
    await sleep(50);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
