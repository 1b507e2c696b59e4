import { readFile, readlink, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserLeftovers } from '../leftovers';
import { launchBrowser, newGuidePage } from './browser';

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Chromium's own temp entries of the browser whose main process is `pid`: its profile and its singleton socket's dir. */
async function tempDirsOf(pid: number): Promise<string[]> {
  const udd = /--user-data-dir=([^\0]+)/.exec(await readFile(`/proc/${pid}/cmdline`, 'utf8'))?.[1];
  if (!udd) return [];
  const socketDir = await readlink(join(udd, 'SingletonSocket')).then((l) => dirname(l), () => null);
  return socketDir ? [udd, socketDir] : [udd];
}

describe('the test browser', () => {
  it('points pages at the given lab server, and leaves no process or temp dir when closed', async () => {
    const server = createServer((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<p>hi</p><script>throw new Error("boom")</script>'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const launched = await launchBrowser();
    try {
      const dirs = await tempDirsOf(launched.pid);
      expect(dirs).toHaveLength(2);
      const context = await launched.browser.newContext();
      const { page, problems } = await newGuidePage(context, url, 'http://127.0.0.1:4999');
      await page.goto(`${url}/`);
      expect(await page.evaluate(() => window.localStorage.getItem('edge-lab:lab-server-url'))).toBe('http://127.0.0.1:4999');
      await expect.poll(() => problems.pageErrors.length).toBe(1);
      expect(problems.pageErrors[0]).toMatch(/boom/);
      expect((await browserLeftovers()).some((p) => p.pid === launched.pid)).toBe(true);
      await launched.close();
      expect((await browserLeftovers()).filter((p) => p.pid === launched.pid || p.pgid === launched.pid)).toEqual([]);
      for (const d of dirs) expect(await exists(d)).toBe(false);
    } finally {
      await launched.close();
      await new Promise<void>((r) => { server.close(() => r()); server.closeAllConnections(); });
    }
  });

  it('cleans up after a browser that was killed outright', async () => {
    const launched = await launchBrowser();
    const dirs = await tempDirsOf(launched.pid);
    expect(dirs).toHaveLength(2);
    process.kill(launched.pid, 'SIGKILL');
    await launched.close();
    expect((await browserLeftovers()).filter((p) => p.pgid === launched.pid)).toEqual([]);
    for (const d of dirs) expect(await exists(d)).toBe(false);
  });
});
