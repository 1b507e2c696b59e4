/**
 * A room for browser tests: a real lab server in room mode (real QEMU hosts, the built site, API
 * and sockets on one port) listening on this machine's end of a veth pair into a network
 * namespace of the test's own (testing/netns.ts), with its public URL on that address. Learners'
 * Chromium runs inside the namespace, so it reaches the lab only as another computer on the LAN
 * would; the trainer's runs on this machine. close() stops all of it, removes the namespace, and
 * checks that no VM of its lab survived.
 *
 *   const made = await RoomLab.start();
 *   if (!made.ok) return ctx.skip(made.reason);
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startLabServer, type LabServer, type LabServerOptions } from '../../server/lab-server';
import { processesMatching } from '../leftovers';
import { createTestNetns, type TestNetns } from '../netns';
import { TEST_VM_PREFIX } from '../vm-lab';
import { launchBrowser, newGuidePage, type GuidePage, type LaunchedBrowser } from './browser';
import { siteBuild, type SiteBuild } from './site-build';

export interface RoomLabOptions {
  labServer?: Omit<LabServerOptions, 'host' | 'port' | 'dataDir' | 'room'>;
  log?: (line: string) => void;
}

export class RoomLab {
  private readonly contexts = new Set<BrowserContext>();
  private closing: Promise<void> | undefined;

  private constructor(
    readonly netns: TestNetns,
    readonly labServer: LabServer,
    readonly publicUrl: string,
    private readonly trainerBrowser: LaunchedBrowser,
    private readonly learnerBrowser: LaunchedBrowser,
    private readonly dataDir: string,
    private readonly build: SiteBuild,
  ) {}

  get operatorSecret(): string { return this.labServer.operator.secret; }

  static async start(opts: RoomLabOptions = {}): Promise<{ ok: true; lab: RoomLab } | { ok: false; reason: string }> {
    const made = await createTestNetns();
    if (!made.ok) return made;
    const undo: Array<() => Promise<void>> = [() => made.netns.remove()];
    try {
      const build = await siteBuild({ log: opts.log });
      undo.push(() => build.release());
      const dataDir = await mkdtemp(join(tmpdir(), `${TEST_VM_PREFIX}-room-`));
      undo.push(() => rm(dataDir, { recursive: true, force: true }));
      const port = await freePort(made.netns.hostAddress);
      const publicUrl = `http://${made.netns.hostAddress}:${port}`;
      const labServer = await startLabServer({
        operatorSecret: randomBytes(18).toString('base64url'), ...opts.labServer,
        host: made.netns.hostAddress, port, dataDir, room: { publicUrl, siteDir: build.dir },
      });
      undo.push(() => labServer.close());
      const trainer = await launchBrowser();
      undo.push(() => trainer.close());
      const learner = await launchBrowser({ netns: made.netns.name });
      return { ok: true, lab: new RoomLab(made.netns, labServer, publicUrl, trainer, learner, dataDir, build) };
    } catch (err) {
      for (const fn of undo.reverse()) await fn().catch(() => {});
      throw err;
    }
  }

  /** A page in a fresh context of the trainer's browser (this machine). */
  trainerPage(): Promise<GuidePage> { return this.page(this.trainerBrowser); }
  /** A page in a fresh context of the learners' browser (inside the namespace: another computer). */
  learnerPage(): Promise<GuidePage> { return this.page(this.learnerBrowser); }

  private async page(b: LaunchedBrowser): Promise<GuidePage> {
    const context = await b.browser.newContext({ viewport: { width: 1280, height: 900 } });
    this.contexts.add(context);
    context.once('close', () => this.contexts.delete(context));
    return newGuidePage(context, this.publicUrl, null);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      const problems: string[] = [];
      const attempt = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
        try { await fn(); } catch (err) { problems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`); }
      };
      for (const c of [...this.contexts]) await attempt('closing a browser context', () => c.close());
      await attempt('closing the learners\' browser', () => this.learnerBrowser.close());
      await attempt('closing the trainer\'s browser', () => this.trainerBrowser.close());
      await attempt('closing the lab server', () => this.labServer.close());
      await attempt('removing the network namespace', () => this.netns.remove());
      await attempt('removing the lab data', () => rm(this.dataDir, { recursive: true, force: true }));
      await attempt('removing the site build', () => this.build.release());
      const strays = await processesMatching(this.dataDir);
      if (strays.length) problems.push(`processes of the lab survived: ${strays.map((p) => `${p.pid} ${p.cmdline.slice(0, 80)}`).join('; ')}`);
      if (problems.length) throw new Error(`[room-lab] close left things behind: ${problems.join(' | ')}`);
    })();
    return this.closing;
  }
}

/** A port free on `host` now (the server binds it right after). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port: 0 }, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
