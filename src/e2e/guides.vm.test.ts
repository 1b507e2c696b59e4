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
import {
  buildInstaller, createCluster, createToken, HOST, hostCard, hostState, modelProfile, part, pressHostButton, runCommand,
  unexpectedConsoleErrors, waitForPhaseDone,
} from './guide-steps';

const MINUTE = 60_000;
const TOKEN = singleNode.tokenName;

/** The user data a reader types: the token line is filled by Insert token (or typed wrong on purpose). */
const userData = (token: string): string =>
  ['#cloud-config', 'stylus:', '  site:', '    paletteEndpoint: api.palette.lab', `    edgeHostToken: ${token}`, `    name: ${HOST}`, 'install:', '  poweroff: true', ''].join('\n');

/** The profile of the single-node scenario, as the guide tells the reader to model it. */
const PROFILE = {
  name: singleNode.profile.name,
  version: singleNode.profile.version,
  layers: [
    {
      legend: 'Operating system', pack: 'edge-native-byoi', version: '1.0.0',
      values: { 'system.registry': 'registry.lab', 'system.repo': 'edge-lab-provider', 'system.k8sDistribution': 'k3s', 'system.peVersion': 'v4.7.16', 'system.customTag': 'lab' },
    },
    { legend: 'Kubernetes', pack: 'edge-k3s', version: '1.32.4' },
    { legend: 'Network', pack: 'cni-calico', version: '3.30.1' },
  ],
} as const;

describe('the Deployment guides in the browser', () => {
  let lab: GuideLab;

  beforeAll(async () => { lab = await GuideLab.start({ log: (l) => console.log(`[e2e] ${l}`) }); }, 600_000);
  afterAll(async () => { await lab?.close(); }, 120_000);

  it('a reader completes all four phases by clicking and typing', async () => {
    const { page, problems, url } = await lab.newPage();

    // Phase 1: Model Cluster Profile.
    await page.goto(url('/model-cluster-profile'));
    await modelProfile(page, PROFILE);
    await waitForPhaseDone(page, 'model-profile', MINUTE);
    await screenshot(page, 'guide-1-model-profile');

    // Phase 2: Install Handoff — token, installer, install from the stick.
    await page.getByRole('link', { name: 'Prepare edge hosts', exact: true }).first().click();
    await page.waitForURL(url('/prepare-edge-hosts'));
    await createToken(page, TOKEN, singleNode.project);
    const installer = await buildInstaller(page, userData('<registration-token>'), TOKEN);
    expect(installer).toMatch(/^installer-[0-9a-f]{12}$/);
    await pressHostButton(page, 'Insert the installer stick');
    await pressHostButton(page, 'Power on');
    await waitForPhaseDone(page, 'install-handoff', 5 * MINUTE);
    await expect.poll(() => hostState(page), { timeout: 2 * MINUTE, message: 'the host powers off after installing' }).toMatch(/off/i);
    await screenshot(page, 'guide-2-install-handoff');

    // Phase 3: Registration — at the site, then in Palette.
    await page.getByRole('link', { name: 'Perform the site install', exact: true }).first().click();
    await page.waitForURL(url('/perform-site-install'));
    await pressHostButton(page, 'Remove the stick');
    await pressHostButton(page, 'Power on');
    await waitForPhaseDone(page, 'registration', 5 * MINUTE);
    await runCommand(page, 'cat /oem/90_custom.yaml', /paletteEndpoint: api\.palette\.lab/, 2 * MINUTE);
    await page.getByRole('link', { name: 'Register the edge host', exact: true }).first().click();
    await page.waitForURL(url('/register-edge-host'));
    const row = part(page, 'edge-hosts').locator(`[data-palette-host="${HOST}"]`);
    await expect.poll(() => row.getAttribute('data-status', { timeout: 1000 }).catch(() => null), { timeout: MINUTE }).toBe('Ready');
    await screenshot(page, 'guide-3-registration');

    // Phase 4: Cluster Provisioning — the wizard, then Running, then kubectl on the host.
    await page.getByRole('link', { name: 'Create the cluster definition', exact: true }).first().click();
    await page.waitForURL(url('/create-cluster-definition'));
    await createCluster(page, { name: 'edge-lab-cluster', profile: PROFILE.name, version: PROFILE.version, vip: '10.77.0.100', host: HOST });
    const cluster = part(page, 'cluster-overview').locator('[data-cluster="edge-lab-cluster"]');
    await expect.poll(() => cluster.getAttribute('data-status', { timeout: 1000 }).catch(() => null), { timeout: 10 * MINUTE, interval: 1000 }).toBe('Running');
    await waitForPhaseDone(page, 'cluster-provisioning', MINUTE);
    const nodes = await runCommand(page, 'kubectl get nodes', new RegExp(`${HOST}\\s+Ready`), 2 * MINUTE);
    expect(nodes).toMatch(/NAME\s+STATUS/);
    await screenshot(page, 'guide-4-cluster-provisioning');

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
