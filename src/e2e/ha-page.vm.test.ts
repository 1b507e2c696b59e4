/**
 * The HA guide page in a real browser: its parts open a lab of the ha-three-cp scenario (four
 * hosts), apart from the single-node lab of the other guides, and Show me performs the first step
 * there. (The drills themselves run on real VMs in simulator/scenarios/ha.vm.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../../simulator/testing/browser/browser';
import { GuideLab } from '../../simulator/testing/browser/guide-lab';
import { haThreeCp } from '../../simulator/pure/scenarios/ha-three-cp';
import { part, phaseStatus, until } from './guide-steps';

const MINUTE = 60_000;

describe('the HA guide page in the browser', () => {
  let lab: GuideLab;

  beforeAll(async () => { lab = await GuideLab.start({ log: (l) => console.log(`[e2e] ${l}`) }); }, 600_000);
  afterAll(async () => { await lab?.close(); }, 120_000);

  it('opens a four-host lab of its own, and Show me models the profile there', async () => {
    const { page, problems, url } = await lab.newPage();
    await page.goto(url('/ha-cluster'));
    for (const h of haThreeCp.hosts) {
      await part(page, 'hosts').locator(`[data-host-console="${h.name}"]`).waitFor({ timeout: MINUTE, state: 'attached' });
    }
    const remembered = await lab.rememberedLab(page, haThreeCp.name);
    expect(remembered?.labId).toMatch(/^lab-/);
    expect(await lab.rememberedLab(page), 'no single-node lab was opened by this page').toBeNull();
    const space = await lab.labServer.labs.get(remembered!.labId);
    expect(Object.keys(space!.runtime.view().view.hosts).sort()).toEqual(haThreeCp.hosts.map((h) => h.name));

    // The commands to run through the VIP are shown whole (a URL in MDX must not turn into a link).
    const commands = await page.locator('[data-lab-part="run"] pre, [data-run-command]').evaluateAll((els) => els.map((e) => e.getAttribute('data-run-command') ?? e.textContent ?? ''));
    expect(commands).toContain('kubectl --server http://10.77.0.100:6443 get nodes');

    // The clock drill's parts: the site's time server on the lab LAN, switched off and on again in
    // the page; the hardware clock button on a host that is off; its Check my work.
    const lan = part(page, 'lan');
    await lan.locator('[data-time-server="on"]').waitFor({ timeout: MINUTE });
    expect(await lan.locator('[data-time-server]').textContent()).toMatch(/time server \(NTP\) at 10\.77\.0\.123: answering/);
    await lan.locator('[data-action="time-server-off"]').click();
    await lan.locator('[data-time-server="off"]').waitFor({ timeout: MINUTE });
    expect(await (await lab.labServer.labs.get(remembered!.labId))!.lan.timeServer()).toMatchObject({ on: false });
    await lan.locator('[data-action="time-server-on"]').click();
    await lan.locator('[data-time-server="on"]').waitFor({ timeout: MINUTE });
    expect(await part(page, 'hosts').getByRole('button', { name: 'Set its hardware clock 3 hours behind' }).count()).toBe(haThreeCp.hosts.length);
    await page.locator('[data-drill-check="clock"]').waitFor({ timeout: MINUTE, state: 'attached' });

    await part(page, 'progress').locator('[data-show-me-button]').click();
    await until(() => phaseStatus(page, 'model-profile'), (v) => v === 'done', MINUTE, 'Show me to model the profile');
    await expect.poll(() => part(page, 'cluster-overview').locator('[data-no-cluster]').count(), { timeout: MINUTE }).toBe(1);
    await screenshot(page, 'ha-page');

    expect(problems.pageErrors).toEqual([]);
    expect(problems.consoleErrors).toEqual([]);
  }, 5 * MINUTE);
});
