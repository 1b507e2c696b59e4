import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSitePath, startSiteServer } from './site-server';

describe('the static site server', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-siteserver-'));
    await writeFile(join(dir, 'index.html'), '<h1>home</h1>');
    await writeFile(join(dir, '404.html'), '<h1>missing</h1>');
    await mkdir(join(dir, 'register-edge-host'));
    await writeFile(join(dir, 'register-edge-host', 'index.html'), '<h1>register</h1>');
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'assets', 'main.js'), 'console.log(1)');
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('maps Docusaurus routes to their index.html and refuses paths outside the directory', async () => {
    expect(await resolveSitePath(dir, '/')).toBe(join(dir, 'index.html'));
    expect(await resolveSitePath(dir, '/register-edge-host')).toBe(join(dir, 'register-edge-host', 'index.html'));
    expect(await resolveSitePath(dir, '/register-edge-host/?x=1#top')).toBe(join(dir, 'register-edge-host', 'index.html'));
    expect(await resolveSitePath(dir, '/assets/main.js')).toBe(join(dir, 'assets', 'main.js'));
    expect(await resolveSitePath(dir, '/../../etc/passwd')).toBeNull();
    expect(await resolveSitePath(dir, '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(await resolveSitePath(dir, '/%E0%A4%A')).toBeNull();
    expect(await resolveSitePath(dir, '/nope')).toBeNull();
  });

  it('serves on 127.0.0.1 with types, 404.html for unknown paths, and closes', async () => {
    const server = await startSiteServer(dir);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const page = await fetch(`${server.url}/register-edge-host`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await page.text()).toBe('<h1>register</h1>');
      const js = await fetch(`${server.url}/assets/main.js`);
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
      await js.text();
      const missing = await fetch(`${server.url}/nope`);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toBe('<h1>missing</h1>');
      expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
  });
});
