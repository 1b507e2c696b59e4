/**
 * Everything a browser test of the guide needs, started together: the built
 * site served on 127.0.0.1, a real lab server (real QEMU hosts, a temp data
 * directory) that allows exactly the site's origin, and headless Chromium.
 * close() stops all of it, checks that no VM of its lab survived, and removes
 * its temp directories.
 *
 *   const lab = await GuideLab.start();
 *   const { page, problems } = await lab.newPage();
 *   await page.goto(lab.siteUrl + '/');
 *   …
 *   await lab.close();
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { rememberedLabKey, type RememberedLab } from '../../../src/lab/client/remembered-lab';
import { startLabServer, type LabServer, type LabServerOptions } from '../../server/lab-server';
import { processesMatching } from '../leftovers';
import { TEST_VM_PREFIX } from '../vm-lab';
import { launchBrowser, newGuidePage, type GuidePage, type LaunchedBrowser } from './browser';
import { siteBuild, type SiteBuild } from './site-build';
import { startSiteServer, type SiteServer } from './site-server';

export interface GuideLabOptions {
  /** Passed to startLabServer (e.g. another driver); host, port, dataDir and allowedOrigins are the harness's. */
  labServer?: Omit<LabServerOptions, 'host' | 'port' | 'dataDir' | 'allowedOrigins'>;
  log?: (line: string) => void;
}

export class GuideLab {
  private readonly contexts = new Set<BrowserContext>();
  private closing: Promise<void> | undefined;

  private constructor(
    readonly site: SiteServer,
    readonly labServer: LabServer,
    readonly browser: LaunchedBrowser,
    readonly dataDir: string,
    private readonly build: SiteBuild,
  ) {}

  get siteUrl(): string { return this.site.url; }
  get labServerUrl(): string { return this.labServer.url; }
  /** The lab server's operator key, which opening a class needs (the /class page's "Operator key" field). */
  get operatorSecret(): string { return this.labServer.operator.secret; }

  static async start(opts: GuideLabOptions = {}): Promise<GuideLab> {
    const undo: Array<() => Promise<void>> = [];
    try {
      const build = await siteBuild({ log: opts.log });
      undo.push(() => build.release());
      const site = await startSiteServer(build.dir);
      undo.push(() => site.close());
      const dataDir = await mkdtemp(join(tmpdir(), `${TEST_VM_PREFIX}-guide-`));
      undo.push(() => rm(dataDir, { recursive: true, force: true }));
      // An operator key of its own, never the one in the environment of whoever runs the tests.
      const labServer = await startLabServer({ operatorSecret: randomBytes(18).toString('base64url'), ...opts.labServer, host: '127.0.0.1', port: 0, dataDir, allowedOrigins: [site.origin] });
      undo.push(() => labServer.close());
      const browser = await launchBrowser();
      return new GuideLab(site, labServer, browser, dataDir, build);
    } catch (err) {
      for (const fn of undo.reverse()) await fn().catch(() => {});
      throw err;
    }
  }

  /** A fresh browser context (its own storage and cache), closed with the lab. */
  async newContext(): Promise<BrowserContext> {
    const context = await this.browser.browser.newContext({ viewport: { width: 1280, height: 900 } });
    this.contexts.add(context);
    context.once('close', () => this.contexts.delete(context));
    return context;
  }

  /** A page in `context` (default: a new one) whose lab parts use this lab server. */
  async newPage(context?: BrowserContext): Promise<GuidePage> {
    return newGuidePage(context ?? (await this.newContext()), this.siteUrl, this.labServerUrl);
  }

  /** The lab this page's tab remembers for `scenario` (its id, session secret and token), or null. */
  async rememberedLab(page: Page, scenario = 'single-node'): Promise<RememberedLab | null> {
    const raw = await page.evaluate((key) => window.localStorage.getItem(key), rememberedLabKey(this.labServerUrl, scenario));
    return raw ? (JSON.parse(raw) as RememberedLab) : null;
  }

  /** A call to the lab's HTTP API with the lab's token, as the page would make it. */
  async labApi(lab: Pick<RememberedLab, 'labId' | 'token'>, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
    if (!lab.token) throw new Error('[guide-lab] the remembered lab has no token yet');
    const res = await fetch(`${this.labServerUrl}/labs/${lab.labId}${path}`, {
      method,
      headers: { authorization: `Bearer ${lab.token}`, origin: new URL(this.labServerUrl).origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try { parsed = JSON.parse(text); } catch { /* text it is */ }
    return { status: res.status, body: parsed };
  }

  /** Stops the browser, the lab server (its VMs) and the site server; removes the temp directories. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const problems: string[] = [];
      const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
        try { await fn(); } catch (err) { problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`); }
      };
      for (const c of [...this.contexts]) await attempt('closing a browser context', () => c.close());
      await attempt('closing the browser', () => this.browser.close());
      await attempt('closing the lab server', () => this.labServer.close());
      await attempt('closing the site server', () => this.site.close());
      await attempt('removing the lab data', () => rm(this.dataDir, { recursive: true, force: true }));
      await attempt('removing the site build', () => this.build.release());
      const strays = await processesMatching(this.dataDir);
      if (strays.length) problems.push(`processes of the lab survived: ${strays.map((p) => `${p.pid} ${p.cmdline.slice(0, 80)}`).join('; ')}`);
      if (await stat(this.dataDir).then(() => true, () => false)) problems.push(`${this.dataDir} is still there`);
      if (problems.length) throw new Error(`[guide-lab] close left things behind: ${problems.join(' | ')}`);
    })();
    return this.closing;
  }
}
