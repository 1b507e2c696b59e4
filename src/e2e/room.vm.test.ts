/**
 * A room: the lab server in room mode on this machine's end of a veth pair, and a learner's
 * browser inside a network namespace of the test's own, so it is "another computer" that reaches
 * the lab only by the public URL. The trainer opens a class on the class page; the learner opens
 * the join link exactly as the dashboard shows it, gets the warm lab, models the profile and powers
 * on a host (a real VM), and the trainer's dashboard shows it live. On the way: the join secret
 * leaves the address bar and history; a learner gets no class, no lab of their own and no trainer
 * route; pages run under the room's Content-Security-Policy with no error.
 * Where the machine refuses to make a namespace, the test is skipped and says why.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { screenshot } from '../../simulator/testing/browser/browser';
import { RoomLab } from '../../simulator/testing/browser/room-lab';
import { buildInstaller, createToken, GUIDE_PROFILE, modelProfile, pressHostButton, readerUserData, unexpectedConsoleErrors, until, waitForPhaseDone } from './guide-steps';

const MINUTE = 60_000;

describe('a room', () => {
  let room: RoomLab | undefined;
  let skipped: string | undefined;

  beforeAll(async () => {
    const made = await RoomLab.start({ log: (l) => console.log(`[e2e] ${l}`), labServer: { checkpointsDir: inject('checkpointsDir') } });
    if (made.ok) room = made.lab;
    else skipped = made.reason;
  }, 600_000);
  afterAll(async () => { await room?.close(); }, 120_000);

  it('a learner on another computer joins a class by its link, works in a warm lab, and the trainer sees it live', async (ctx) => {
    if (!room) return ctx.skip(skipped);
    const lab = room;
    expect(lab.publicUrl).toMatch(/^http:\/\/198\.1[89]\.\d+\.\d+:\d+$/);

    // The trainer opens a class on the class page, served by the room's one port.
    const trainer = await lab.trainerPage();
    await trainer.page.goto(`${lab.publicUrl}/class`);
    const form = trainer.page.locator('form[data-class-open]');
    await form.locator('select[name="scenario"]').selectOption('single-node', { timeout: MINUTE });
    await form.locator('input[name="operator"]').fill(lab.operatorSecret);
    await form.locator('input[name="name"]').fill('Room 1');
    await form.locator('input[name="warm"]').fill('1');
    await form.locator('button[type="submit"]').click();
    const dashboard = trainer.page.locator('[data-class-dashboard][data-state="ready"]');
    await dashboard.waitFor({ timeout: MINUTE });
    const classId = (await dashboard.getAttribute('data-class-id'))!;
    await trainer.page.locator('[data-class-warm][data-warm-ready="1"]').waitFor({ timeout: 2 * MINUTE });
    const warmLab = (await lab.labServer.classes.labIds(classId, { warm: true }))[0];
    const link = (await trainer.page.locator('a[data-class-link="learner"]').getAttribute('href'))!;
    // The link is the public URL's, whatever address the trainer's page was opened by.
    expect(link.startsWith(`${lab.publicUrl}/`)).toBe(true);
    const code = new URL(link).searchParams.get('code')!;
    expect(code).toBeTruthy();

    // The learner, in the namespace, opens the link exactly as shown and gets the warm lab.
    const learner = await lab.learnerPage();
    await learner.page.goto(link);
    await learner.page.locator('[data-lab-part="progress"] [data-phase]').first().waitFor({ timeout: MINUTE });
    const row = trainer.page.locator(`tr[data-lab-id="${warmLab}"]`);
    await row.waitFor({ timeout: MINUTE });
    // The join code is gone from the address bar and from this tab's history entry.
    await until(() => Promise.resolve(learner.page.url()), (u) => !u.includes(code), 10_000, 'the join code to leave the address bar');
    expect(new URL(learner.page.url()).searchParams.get('class')).toBe(classId);
    // Back goes to the blank tab it was opened in, forward to the address without the code: no entry holds it.
    await learner.page.goBack();
    expect(learner.page.url()).toBe('about:blank');
    await learner.page.goForward();
    expect(learner.page.url()).not.toContain(code);
    await learner.page.locator('[data-lab-part="progress"] [data-phase]').first().waitFor({ timeout: MINUTE });
    expect(await learner.page.evaluate(() => document.querySelector('meta[name="edge-lab:api"]')?.getAttribute('content'))).toBe('/api');

    // Model Cluster Profile, then a host powered on from the next guide page (a real VM).
    await modelProfile(learner.page, GUIDE_PROFILE);
    await waitForPhaseDone(learner.page, 'model-profile', MINUTE);
    await until(() => row.getAttribute('data-phase'), (p) => p === 'installHandoff', MINUTE, 'the dashboard to show the learner past Model Cluster Profile');
    await learner.page.getByRole('link', { name: 'Prepare edge hosts', exact: true }).first().click();
    await createToken(learner.page, 'room-token', 'Default');
    await buildInstaller(learner.page, readerUserData('<registration-token>'), 'room-token');
    await pressHostButton(learner.page, 'Insert the installer stick');
    await pressHostButton(learner.page, 'Power on');
    await row.locator('li[data-host][data-power="on"]').waitFor({ timeout: MINUTE });
    await screenshot(trainer.page, 'room-dashboard-learner-powered-on');
    await screenshot(learner.page, 'room-learner-page');

    // What a learner's computer may not do, asked from its own page (so from the namespace, with the page's Origin).
    const asks = await learner.page.evaluate(async ({ classId: id }) => {
      const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: await r.json() as { error?: string } }));
      const remembered = Object.keys(localStorage).filter((k) => k.startsWith('edge-lab:lab:')).map((k) => JSON.parse(localStorage.getItem(k)!) as { token?: string })[0];
      const trainerRoute = await fetch(`/api/classes/${id}`, { headers: { authorization: `Bearer ${remembered?.token ?? ''}` } }).then((r) => r.status);
      return {
        openClass: await post('/classes', { scenario: 'single-node' }),
        ownLab: await post('/labs', { scenario: 'single-node' }),
        trainerRoute,
        tokenStored: typeof remembered?.token === 'string',
      };
    }, { classId });
    expect(asks.tokenStored).toBe(true);
    expect(asks.openClass).toMatchObject({ status: 401, body: { error: 'no-operator' } });
    expect(asks.ownLab).toMatchObject({ status: 403, body: { error: 'solo-labs-off' } });
    expect(asks.trainerRoute).toBe(403);

    // A link with a wrong code gets the refusal in words on the page, and its code stays for another try.
    const stranger = await lab.learnerPage();
    const wrong = new URL(link);
    wrong.searchParams.set('code', 'not-the-code');
    await stranger.page.goto(wrong.toString());
    await until(() => stranger.page.locator('[data-lab-notice]').first().textContent().catch(() => ''), (t) => /join code does not open that class.*link the trainer shared/.test(t ?? ''), MINUTE, 'the refusal of a wrong join code on the page');
    expect(stranger.page.url()).toContain('not-the-code');

    for (const p of [trainer, learner]) {
      expect(p.problems.pageErrors).toEqual([]);
      // A CSP violation would be a console error here.
      expect(unexpectedConsoleErrors(p.problems.consoleErrors)).toEqual([]);
    }
  }, 15 * MINUTE);
});
