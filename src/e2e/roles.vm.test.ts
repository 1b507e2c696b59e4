/**
 * A role-based walkthrough in real browsers: a trainer opens a shared lab from
 * the guide and hands out the invite links; four people, each in their own
 * browser context, open their link and do only their own steps — the App owner
 * models the profile, the Tenant admin makes the token, IT/Ops builds the
 * installer, stages the host and hands it over to the site (Hand over to the
 * site), the Site technician powers it on at the site,
 * and IT/Ops creates the cluster — against a real host, until it is Running.
 * A step outside one's role is refused on the page with who may do it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from '../../simulator/testing/browser/browser';
import { GuideLab } from '../../simulator/testing/browser/guide-lab';
import {
  buildInstaller, createCluster, createToken, GUIDE_PROFILE, handHostsOver, HOST, hostState, modelProfile, part, pressHostButton, readerUserData,
  unexpectedConsoleErrors, until, waitForHandoffStep, waitForPhaseDone,
} from './guide-steps';

const MINUTE = 60_000;

describe('a role-based walkthrough', () => {
  let lab: GuideLab;

  beforeAll(async () => { lab = await GuideLab.start({ log: (l) => console.log(`[e2e] ${l}`) }); }, 600_000);
  afterAll(async () => { await lab?.close(); }, 120_000);

  it('four people complete the four phases, each doing only their own steps', async () => {
    // The trainer opens the shared lab from the lifecycle page and reads the invite links.
    const trainer = await lab.newPage();
    await trainer.page.goto(trainer.url('/edge-lifecycle-and-roles'));
    const walkthrough = part(trainer.page, 'walkthrough');
    await walkthrough.getByRole('button', { name: 'Open a shared lab for a walkthrough' }).click();
    const invite = async (role: string): Promise<string> => (await walkthrough.locator(`[data-invite-role="${role}"] a`).getAttribute('href', { timeout: MINUTE }))!;
    const links = { owner: await invite('app-owner'), admin: await invite('tenant-admin'), ops: await invite('it-ops'), tech: await invite('site-technician') };
    const labId = new URL(links.owner).searchParams.get('lab')!;
    await screenshot(trainer.page, 'roles-invites');

    const people: { page: Page; problems: { pageErrors: string[]; consoleErrors: string[] } }[] = [];
    const enter = async (link: string, then: string): Promise<Page> => {
      const p = await lab.newPage();
      people.push(p);
      await p.page.goto(link);
      await p.page.locator('[data-lab-part="progress"] [data-phase]').first().waitFor({ timeout: MINUTE });
      expect((await lab.rememberedLab(p.page))?.labId).toBe(labId);
      await p.page.goto(p.url(then));
      return p.page;
    };

    // App owner: may not make tokens (refused with who may), then models the profile.
    const owner = await enter(links.owner, '/register-edge-host');
    const tokens = part(owner, 'tokens');
    await tokens.getByLabel('Registration token name').fill('not-mine');
    await tokens.getByRole('button', { name: 'Add token' }).click();
    await tokens.getByText(/The Tenant admin may do it/).waitFor({ timeout: MINUTE });
    await screenshot(owner, 'roles-owner-refused');
    await owner.goto(owner.url().replace(/\/register-edge-host.*$/, '/model-cluster-profile'));
    await modelProfile(owner, GUIDE_PROFILE);
    await waitForPhaseDone(owner, 'model-profile', MINUTE);

    // Tenant admin: the token.
    const admin = await enter(links.admin, '/prepare-edge-hosts');
    await createToken(admin, 'edge-lab-token', 'Default');

    // IT/Ops: installer and staging; the step line says it is theirs.
    const ops = await enter(links.ops, '/prepare-edge-hosts');
    await buildInstaller(ops, readerUserData('<registration-token>'), 'edge-lab-token');
    await pressHostButton(ops, 'Insert the installer stick');
    await pressHostButton(ops, 'Power on');
    await waitForHandoffStep(ops, 5 * MINUTE);
    await until(() => hostState(ops), (v) => /off/i.test(v), 2 * MINUTE, 'the host to power off after installing');

    // The site technician, already in, sees who holds the hosts but has no handoff button: it is IT/Ops' to press.
    const tech = await enter(links.tech, '/perform-site-install');
    const techHosts = part(tech, 'hosts');
    await techHosts.locator('[data-custody="it-ops"]').waitFor({ timeout: MINUTE });
    expect(await techHosts.locator('[data-handoff-step="now"]').textContent()).toMatch(/IT\/Ops hands them over to the site next/);
    expect(await techHosts.getByRole('button', { name: 'Hand over to the site' }).count()).toBe(0);

    // IT/Ops hands the host over (in the field it is shipped): now the site technician's. IT/Ops may no longer press its buttons.
    await handHostsOver(ops);
    await waitForPhaseDone(ops, 'install-handoff', MINUTE);
    await techHosts.locator('[data-custody="site-technician"]').waitFor({ timeout: MINUTE });
    expect(await part(tech, 'progress').locator('[data-step-owner]').textContent()).toMatch(/^Your step: you play Site technician\./);
    await pressHostButton(tech, 'Remove the stick');
    await pressHostButton(tech, 'Power on');
    await waitForPhaseDone(tech, 'registration', 5 * MINUTE);
    await screenshot(tech, 'roles-technician-registered');

    // IT/Ops: the cluster; everyone sees it Running.
    await ops.goto(ops.url().replace(/\/prepare-edge-hosts.*$/, '/create-cluster-definition'));
    expect(await part(ops, 'progress').locator('[data-step-owner]').textContent()).toMatch(/^Your step: you play IT\/Ops\./);
    await createCluster(ops, { name: 'edge-lab-cluster', profile: GUIDE_PROFILE.name, version: GUIDE_PROFILE.version, vip: '10.77.0.100', host: HOST });
    await waitForPhaseDone(ops, 'cluster-provisioning', 10 * MINUTE);
    await waitForPhaseDone(admin, 'cluster-provisioning', MINUTE);
    await screenshot(ops, 'roles-cluster-running');

    // The lab's log: every change was made by its role.
    const space = (await lab.labServer.labs.get(labId))!;
    const log = await lab.labApi((await lab.rememberedLab(ops))!, 'GET', '/events?since=0');
    const events = (log.body as { events: { type: string; role?: string; name?: string; command?: { type: string } }[] }).events;
    const commands = events.filter((e) => e.type === 'host.command').map((e) => `${e.role} ${e.command?.type}`);
    expect(commands).toEqual(['it-ops INSERT_USB', 'it-ops POWER_ON', 'site-technician REMOVE_USB', 'site-technician POWER_ON']);
    const handoffs = events.filter((e) => e.type === 'lab.command' && e.name === 'HAND_OFF').map((e) => e.role);
    expect(handoffs).toEqual(['it-ops']);
    expect(space.runtime.view().view.phases.map((p) => p.status)).toEqual(['done', 'done', 'done', 'done']);
    for (const p of people) {
      expect(p.problems.pageErrors).toEqual([]);
      expect(unexpectedConsoleErrors(p.problems.consoleErrors)).toEqual([]);
    }
  }, 20 * MINUTE);
});
