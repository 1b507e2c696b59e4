/**
 * The Deployment overview in a real browser against a real lab server: the
 * progress part shows the live lab's four phases, and walking to another guide
 * through the sidebar and back keeps the same lab (one lab opened, the same id
 * remembered, the page never reloaded).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../../simulator/testing/browser/browser';
import { GuideLab } from '../../simulator/testing/browser/guide-lab';

describe('Deployment overview in the browser', () => {
  let lab: GuideLab;

  // Builds the site when EDGE_LAB_SITE_BUILD names no build (a minute or two).
  beforeAll(async () => { lab = await GuideLab.start({ log: (l) => console.log(`[e2e] ${l}`) }); }, 600_000);
  afterAll(async () => { await lab?.close(); }, 120_000);

  it('shows the live lab\'s four phases and keeps the same lab across the sidebar', async () => {
    const { page, problems, url } = await lab.newPage();
    const opened: string[] = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url() === `${lab.labServerUrl}/labs`) opened.push(r.url()); });

    await page.goto(url('/'));
    const phases = page.locator('[data-lab-part="progress"] [data-phase]');
    await expect.poll(() => phases.count(), { timeout: 60_000 }).toBe(4);

    const remembered = await lab.rememberedLab(page);
    expect(remembered?.labId).toMatch(/^lab-/);
    const space = await lab.labServer.labs.get(remembered!.labId);
    expect(space, 'the lab the page remembers exists on the lab server').toBeDefined();
    const live = space!.runtime.view().view.phases.map((p) => [p.id, p.status]);
    expect(live).toHaveLength(4);
    const shown = await phases.evaluateAll((els) => els.map((e) => [e.getAttribute('data-phase'), e.getAttribute('data-status')]));
    expect(shown).toEqual(live);
    await screenshot(page, 'overview-progress');

    // The lab's statechart is drawn (ELK laid it out in the browser), not left as a problem line.
    const diagram = page.locator('[data-lab-part="statechart"] svg[data-chart-diagram]').first();
    await expect.poll(() => diagram.count(), { timeout: 60_000 }).toBe(1);
    expect(await page.locator('[data-lab-part="statechart"] [data-picture-failed]').count()).toBe(0);

    // Client-side navigation keeps this marker; a full reload would lose it.
    await page.evaluate(() => { (window as unknown as { edgeLabE2e: number }).edgeLabE2e = 1; });
    const sidebar = page.locator('.theme-doc-sidebar-menu');
    await sidebar.getByRole('link', { name: 'Prepare edge hosts', exact: true }).click();
    await page.waitForURL(url('/prepare-edge-hosts'));
    await expect.poll(() => page.locator('[data-lab-part="progress"] [data-phase]').count(), { timeout: 60_000 }).toBe(4);
    await sidebar.getByRole('link', { name: 'Deployment overview', exact: true }).click();
    await page.waitForURL(url('/'));
    await expect.poll(() => phases.count(), { timeout: 60_000 }).toBe(4);

    expect(await page.evaluate(() => (window as unknown as { edgeLabE2e?: number }).edgeLabE2e), 'the page was not reloaded').toBe(1);
    expect((await lab.rememberedLab(page))?.labId).toBe(remembered!.labId);
    expect(opened, 'the page opened one lab only').toHaveLength(1);
    await screenshot(page, 'overview-after-sidebar');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  });
});
