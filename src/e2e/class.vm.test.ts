/**
 * A class in real browsers: the trainer opens a class on the dashboard with a
 * warm lab (after the page refused a wrong operator key), a learner opens the join link in their own browser and gets that
 * warm lab, the trainer sees them on the dashboard, fast-forwards their lab to
 * Cluster Provisioning (from the phase checkpoints, real VMs), peeks at the
 * host's console read-only, the learner restarts that phase from their page,
 * and the trainer resets the lab; the learner's page follows each change live.
 * Then the trainer opens a walkthrough lab for a team from the dashboard, and
 * who joins it shows in the table.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { screenshot } from '../../simulator/testing/browser/browser';
import { GuideLab } from '../../simulator/testing/browser/guide-lab';
import { phaseStatus, unexpectedConsoleErrors, until, waitForPhaseDone } from './guide-steps';

const MINUTE = 60_000;

describe('a class', () => {
  let lab: GuideLab;

  beforeAll(async () => {
    lab = await GuideLab.start({ log: (l) => console.log(`[e2e] ${l}`), labServer: { checkpointsDir: inject('checkpointsDir') } });
  }, 600_000);
  afterAll(async () => { await lab?.close(); }, 120_000);

  it('a trainer opens a class, a learner joins with a warm lab, and the trainer follows, fast-forwards, peeks, pulls a cable and resets it', async () => {
    const trainer = await lab.newPage();
    await trainer.page.goto(trainer.url('/class'));
    const form = trainer.page.locator('form[data-class-open]');
    await form.locator('select[name="scenario"]').selectOption('single-node', { timeout: MINUTE });
    // Without the operator key (or with a wrong one) no class opens, and the page says where to find the key.
    await form.locator('input[name="operator"]').fill('not-the-operator-key');
    await form.locator('button[type="submit"]').click();
    await until(() => form.locator('[role="alert"]').textContent(), (t) => /not the operator key of this lab server.*npm start/.test(t ?? ''), MINUTE, 'the refusal of a wrong operator key');
    expect(await trainer.page.evaluate(() => window.sessionStorage.getItem('edge-lab:operator-key'))).toBeNull();
    await form.locator('input[name="operator"]').fill(lab.operatorSecret);
    await form.locator('input[name="name"]').fill('Edge 101');
    await form.locator('input[name="warm"]').fill('1');
    await form.locator('button[type="submit"]').click();
    const dashboard = trainer.page.locator('[data-class-dashboard][data-state="ready"]');
    await dashboard.waitFor({ timeout: MINUTE });
    const classId = (await dashboard.getAttribute('data-class-id'))!;
    // The key stays in this tab's sessionStorage, never in the address.
    expect(await trainer.page.evaluate(() => window.sessionStorage.getItem('edge-lab:operator-key'))).toBe(lab.operatorSecret);
    expect(trainer.page.url()).not.toContain(lab.operatorSecret);
    await trainer.page.locator('[data-class-warm][data-warm-ready="1"]').waitFor({ timeout: MINUTE });
    const warmLab = (await lab.labServer.classes.labIds(classId, { warm: true }))[0];
    expect(warmLab).toBeTruthy();
    await trainer.page.locator('[data-class-empty]').waitFor({ timeout: MINUTE });
    const link = (await trainer.page.locator('a[data-class-link="learner"]').getAttribute('href'))!;
    expect(new URL(link).searchParams.get('class')).toBe(classId);

    // The learner opens the link in their own browser and is handed the warm lab.
    const learner = await lab.newPage();
    await learner.page.goto(`${link}&name=Ada`);
    await learner.page.locator('[data-lab-part="progress"] [data-phase]').first().waitFor({ timeout: MINUTE });
    expect((await lab.rememberedLab(learner.page))?.labId).toBe(warmLab);
    const row = trainer.page.locator(`tr[data-lab-id="${warmLab}"]`);
    await row.waitFor({ timeout: MINUTE });
    expect(await row.getAttribute('data-learner')).toBe('Ada');
    expect(await row.getAttribute('data-place')).toBe('active');
    expect(await row.getAttribute('data-phase')).toBe('modelProfile');
    await screenshot(trainer.page, 'class-dashboard-joined');

    // Fast-forward to Cluster Provisioning: the learner's page shows the three phases before it done.
    await row.locator('select[data-action="fast-forward-phase"]').selectOption('clusterProvisioning');
    await row.locator('button[data-action="fast-forward"]').click();
    await trainer.page.locator('[data-jump-status][data-jump-state="done"]').waitFor({ timeout: 8 * MINUTE });
    for (const phase of ['model-profile', 'install-handoff', 'registration']) await waitForPhaseDone(learner.page, phase, MINUTE);
    await until(() => row.getAttribute('data-phase'), (p) => p === 'clusterProvisioning', MINUTE, 'the dashboard to show Cluster Provisioning');
    await row.locator('li[data-host][data-power="on"]').waitFor({ timeout: MINUTE });

    // Peek: the host's console, read-only, with the jump written on it.
    await row.locator('button[data-action="peek"][data-host="edge-host-1"]').click();
    const peek = trainer.page.locator(`[data-peek-panel][data-lab-id="${warmLab}"] pre[data-peek-console]`);
    await until(() => peek.textContent(), (t) => /the lab jumped to Cluster Provisioning/.test(t ?? ''), MINUTE, 'the peek to show the jump');
    await screenshot(trainer.page, 'class-dashboard-peek');

    // A drill from the dashboard: the trainer pulls the learner's host cable (QMP set_link on the
    // real VM), the row says so, and plugging it back in is the cable's one drill offered then.
    const hostItem = row.locator('li[data-host="edge-host-1"]');
    await hostItem.locator('button[data-action="drill"][data-drill="unplug-cable"]').click();
    await until(() => hostItem.getAttribute('data-cable'), (c) => c === 'out', MINUTE, 'the dashboard to show the cable out');
    expect((await lab.labServer.labs.peek(warmLab!))?.vms.get('edge-host-1')?.cablePlugged).toBe(false);
    expect(await hostItem.locator('button[data-action="drill"]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-drill')))).toEqual(['plug-cable', 'cut-power']);
    await screenshot(trainer.page, 'class-dashboard-drill');
    await hostItem.locator('button[data-action="drill"][data-drill="plug-cable"]').click();
    await until(() => hostItem.getAttribute('data-cable'), (c) => c === 'in', MINUTE, 'the dashboard to show the cable back in');
    expect((await lab.labServer.labs.peek(warmLab!))?.vms.get('edge-host-1')?.cablePlugged).toBe(true);

    // The learner restarts the phase they are in, from their own page.
    learner.page.once('dialog', (d) => void d.accept());
    await learner.page.locator('[data-restart-phase] button').click();
    await learner.page.locator('[data-restart-phase][data-jump-state="done"]').waitFor({ timeout: 2 * MINUTE });
    expect(await learner.page.locator('[data-restart-phase] [role="status"]').textContent()).toMatch(/^At the start of Cluster Provisioning \(took /);
    await waitForPhaseDone(learner.page, 'registration', MINUTE);

    // Reset: back at the start; the learner's page follows.
    trainer.page.once('dialog', (d) => void d.accept());
    await row.locator('button[data-action="reset"]').click();
    await until(() => phaseStatus(learner.page, 'model-profile'), (s) => s === 'active', 2 * MINUTE, 'the learner\'s lab to be back at Model Cluster Profile');
    await until(() => row.getAttribute('data-phase'), (p) => p === 'modelProfile', MINUTE, 'the dashboard to show the reset');

    // A walkthrough for a team, from the dashboard: invite links per role, and the shared lab in the table.
    await trainer.page.getByRole('button', { name: 'Open a walkthrough lab (one person per role)' }).click();
    const invite = trainer.page.locator('[data-invite-role="it-ops"] a[data-class-link="invite-it-ops"]');
    await invite.waitFor({ timeout: MINUTE });
    const walkthroughLab = new URL((await invite.getAttribute('href'))!).searchParams.get('lab')!;
    await trainer.page.locator(`tr[data-lab-id="${walkthroughLab}"][data-learner="Walkthrough 1"]`).waitFor({ timeout: MINUTE });
    const member = await lab.newPage();
    await member.page.goto((await invite.getAttribute('href'))!);
    await member.page.locator('[data-lab-part="progress"] [data-phase]').first().waitFor({ timeout: MINUTE });
    await until(() => trainer.page.locator(`tr[data-lab-id="${walkthroughLab}"] [data-members]`).textContent(), (t) => /IT\/Ops/.test(t ?? ''), MINUTE, 'the dashboard to list IT/Ops in the walkthrough');

    for (const p of [trainer, learner, member]) {
      expect(p.problems.pageErrors).toEqual([]);
      expect(unexpectedConsoleErrors(p.problems.consoleErrors)).toEqual([]);
    }
  }, 15 * MINUTE);
});
