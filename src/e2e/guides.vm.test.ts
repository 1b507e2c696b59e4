/**
 * A reader follows the Deployment guides in order in a real browser, against a
 * real lab server and a real QEMU edge host, by clicking and typing only: the
 * profile, the token, the user data and installer, the install from the USB
 * stick, the site power-on and registration, the cluster wizard, and finally
 * `kubectl get nodes` on the host. A screenshot of each phase is saved under
 * test-results/screenshots/. A second reader types a wrong token, sees the
 * refusal on the host, and recovers by reinstalling with the right one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleNode } from '../../simulator/pure/scenarios/single-node';
import { screenshot } from '../../simulator/testing/browser/browser';
import { GuideLab } from '../../simulator/testing/browser/guide-lab';
import { buildInstaller, createToken, followTheGuides, HOST, hostCard, hostState, pressHostButton, readerUserData, unexpectedConsoleErrors } from './guide-steps';

const MINUTE = 60_000;
const TOKEN = singleNode.tokenName;

const userData = (token: string): string => readerUserData(token);

describe('the Deployment guides in the browser', () => {
  let lab: GuideLab;

  beforeAll(async () => { lab = await GuideLab.start({ log: (l) => console.log(`[e2e] ${l}`) }); }, 600_000);
  afterAll(async () => { await lab?.close(); }, 120_000);

  it('a reader completes all four phases by clicking and typing', async () => {
    const { page, problems, url } = await lab.newPage();
    const order: string[] = [];
    const nodes = await followTheGuides(page, url, async (phase) => {
      order.push(phase);
      await screenshot(page, `guide-${order.length}-${phase}`);
    });
    expect(order).toEqual(['model-profile', 'install-handoff', 'registration', 'cluster-provisioning']);
    expect(nodes).toMatch(/NAME\s+STATUS/);
    expect(nodes).toMatch(new RegExp(`${HOST}\\s+Ready\\s+control-plane`));
    // The lab server agrees with what the page showed.
    const remembered = await lab.rememberedLab(page);
    const view = (await lab.labServer.labs.get(remembered!.labId))!.runtime.view().view;
    expect(view.phases.map((p) => p.status)).toEqual(['done', 'done', 'done', 'done']);

    expect(problems.pageErrors).toEqual([]);
    expect(unexpectedConsoleErrors(problems.consoleErrors)).toEqual([]);
  }, 20 * MINUTE);

  it('a wrong token is refused on the host, and a reinstall with the right one recovers', async () => {
    const { page, problems, url } = await lab.newPage();
    await page.goto(url('/prepare-edge-hosts'));
    await buildInstaller(page, userData('not-a-real-token'), null);
    await pressHostButton(page, 'Insert the installer stick');
    await pressHostButton(page, 'Power on');
    await expect.poll(() => hostState(page), { timeout: MINUTE, message: 'the installer starts' }).not.toMatch(/off/i);
    await expect.poll(() => hostState(page), { timeout: 3 * MINUTE, message: 'the host powers off after installing' }).toMatch(/off/i);
    await pressHostButton(page, 'Remove the stick');
    await pressHostButton(page, 'Power on');

    // The refusal, in the host's card and on its console.
    await expect.poll(() => hostState(page), { timeout: 3 * MINUTE, message: 'the registration is refused' }).toBe('Registration refused');
    await expect(hostCard(page).textContent()).resolves.toMatch(/token/i);
    await screenshot(page, 'wrong-token-refused');

    // Recover as the guide says: a real token, a new installer, reinstall, power on again.
    await createToken(page, TOKEN, singleNode.project);
    await buildInstaller(page, userData('<registration-token>'), TOKEN);
    await pressHostButton(page, 'Pull the plug');
    await expect.poll(() => hostState(page), { timeout: MINUTE }).toMatch(/off/i);
    await pressHostButton(page, 'Insert the installer stick');
    await pressHostButton(page, 'Power on');
    await expect.poll(() => hostState(page), { timeout: MINUTE, message: 'the installer starts' }).not.toMatch(/off/i);
    await expect.poll(() => hostState(page), { timeout: 3 * MINUTE, message: 'the host powers off after reinstalling' }).toMatch(/off/i);
    await pressHostButton(page, 'Remove the stick');
    await pressHostButton(page, 'Power on');
    // This reader skipped the profile, so the lab's phases stay at phase 1; the host and Palette show the recovery.
    await expect.poll(() => hostState(page), { timeout: 3 * MINUTE, message: 'the host registers' }).toMatch(/Registered/);
    const row = await lab.rememberedLab(page).then((r) => lab.labApi(r!, 'GET', `/palette/v1/edgehosts/${HOST}`));
    expect(row).toMatchObject({ status: 200, body: { host: { hostId: HOST, status: 'Ready', project: singleNode.project } } });
    await screenshot(page, 'wrong-token-recovered');

    expect(problems.pageErrors).toEqual([]);
    expect(unexpectedConsoleErrors(problems.consoleErrors)).toEqual([]);
  }, 20 * MINUTE);
});
