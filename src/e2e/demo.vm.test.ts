/**
 * Trainer demo mode in a real browser: "Play this guide" on the overview plays
 * the single-node guide to the end by itself — page to page, each step's part
 * highlighted, every step done in the lab through the page — against a real
 * host, until `kubectl get nodes` shows the node Ready. Pausing stops before
 * the next step, and playing on continues from the lab's own step.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../../simulator/testing/browser/browser';
import { GuideLab } from '../../simulator/testing/browser/guide-lab';
import { unexpectedConsoleErrors, until } from './guide-steps';

const MINUTE = 60_000;

describe('the guide plays itself', () => {
  let lab: GuideLab;

  beforeAll(async () => { lab = await GuideLab.start({ log: (l) => console.log(`[e2e] ${l}`) }); }, 600_000);
  afterAll(async () => { await lab?.close(); }, 120_000);

  it('plays the single-node guide to the end, with a pause on the way', async () => {
    const { page, problems, url } = await lab.newPage();
    // Every lab part the player has highlighted, recorded as the DOM changes: at pace 0 on a
    // loaded machine a highlight can come and go between two polls of a locator.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { edgeLabHighlights: string[] }).edgeLabHighlights = seen;
      new MutationObserver(() => {
        document.querySelectorAll('.edge-lab-demo-highlight[data-lab-part]').forEach((el) => {
          const part = el.getAttribute('data-lab-part')!;
          if (!seen.includes(part)) seen.push(part);
        });
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    });
    await page.goto(url('/'));
    const start = page.locator('section[data-lab-part="demo"]');
    await start.getByLabel('Pace').selectOption('0');
    await start.getByRole('button', { name: 'Play this guide' }).click();

    const bar = page.getByRole('region', { name: 'Demo player' });
    const status = (): Promise<string | null> => bar.getAttribute('data-demo-status', { timeout: 1000 }).catch(() => null);
    // It goes to the first step's page and highlights the profile editor.
    await page.waitForURL(url('/model-cluster-profile'), { timeout: MINUTE });
    await page.waitForFunction(() => (window as unknown as { edgeLabHighlights: string[] }).edgeLabHighlights.includes('profile-builder'), null, { timeout: MINUTE });

    // Pause once the installer is being built: the player stops after that step.
    await page.waitForURL(url('/prepare-edge-hosts'), { timeout: 2 * MINUTE });
    await bar.getByRole('button', { name: 'Pause' }).click();
    await until(status, (s) => s === 'paused', 3 * MINUTE, 'the player to pause');
    const pausedAt = await bar.locator('[data-demo-step]').textContent();
    await screenshot(page, 'demo-paused');
    const remembered = await lab.rememberedLab(page);
    const space = (await lab.labServer.labs.get(remembered!.labId))!;
    const runtime = space.runtime;
    const stepWhilePaused = JSON.stringify(runtime.view().view.state);
    await page.waitForTimeout(2000);
    expect(JSON.stringify(runtime.view().view.state), 'nothing happens while paused').toBe(stepWhilePaused);

    await bar.getByRole('button', { name: 'Play on' }).click();
    await until(status, (s) => s === 'done' || s === 'failed', 12 * MINUTE, 'the player to finish', 1000);
    expect(await bar.locator('[data-demo-step]').textContent()).toBe('The guide is done');
    await page.waitForURL(url('/create-cluster-definition'));
    await screenshot(page, 'demo-done');

    const view = runtime.view().view;
    expect(view.phases.map((p) => p.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(Object.values(view.clusters).map((c) => c.label)).toEqual([expect.stringMatching(/^Running/)]);
    expect(pausedAt).toMatch(/Paused/);
    // The verify step typed kubectl on the host's console, and the node answered Ready.
    expect(space.vms.get('edge-host-1')!.console.text()).toMatch(/edge-host-1\s+Ready\s+control-plane/);
    expect(problems.pageErrors).toEqual([]);
    expect(unexpectedConsoleErrors(problems.consoleErrors)).toEqual([]);
  }, 20 * MINUTE);
});
