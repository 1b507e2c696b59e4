import type { GuideLab } from '../../simulator/testing/browser/guide-lab';
import type { Metric } from '../context';
import { median } from '../stats';
import { benchGuideLab } from './guide-lab';

/** The first guide: where a class's join link leads. */
const PAGE = '/model-cluster-profile';
const ROUNDS = 3;

/**
 * A learner opening the class's join link: from the page load's start to the
 * lab live in the page (its phases shown from the lab's own view), with a warm
 * lab waiting, against the same with none (the lab made on joining).
 */
export const warmLabReady: Metric = {
  name: 'warm_lab_ready_ms',
  unit: 'ms',
  what: `a class's join link (\`${PAGE}?class=…&code=…\`) opened in a fresh browser context, from \`page.goto\` to the progress part showing the lab's phases (the page joined the class, got a warm lab, opened its socket and drew its view); median of ${ROUNDS} loads per sample, alternating with as many loads of a class without warm labs (the baseline)`,
  target: [{ kind: 'max', value: 500 }],
  baseline: { extra: 'cold_lab_ready_ms', label: 'the same with no warm lab' },
  notes: [
    'Headless Chromium (Debian\'s, software rendering) on the built site served from 127.0.0.1 and this run\'s own lab server. A warm lab is made and opened before the load (untimed): the join hands it over. The cold class has no warm labs, so its join makes and opens a lab while the page waits.',
    'The clock includes the page itself (HTML, scripts, the lab part\'s chunk), the join request, the socket and the first view; the labs\' hosts are off at this point (a fresh lab), so no VM is involved.',
  ],
  async prepare(ctx) {
    const lab = await benchGuideLab(ctx);
    const classes = lab.labServer.classes;
    const warm = await classes.create({ scenario: 'single-node', name: 'bench warm', warm: 0 });
    const cold = await classes.create({ scenario: 'single-node', name: 'bench cold', warm: 0 });
    return {
      async sample(i) {
        const warmMs: number[] = [];
        const coldMs: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const warmFirst = (r + i) % 2 === 0;
          for (const isWarm of warmFirst ? [true, false] : [false, true]) {
            const k = isWarm ? warm : cold;
            if (isWarm) {
              await classes.setWarm(k.classId, 1);
              if ((await classes.labIds(k.classId, { warm: true })).length !== 1) throw new Error('[bench] the warm pool did not make a lab');
            }
            (isWarm ? warmMs : coldMs).push(await openJoinLink(lab, k.classId, k.joinCode));
            if (isWarm) await classes.setWarm(k.classId, 0);
            if (isWarm && (await classes.labIds(k.classId, { warm: true })).length !== 0) throw new Error('[bench] the warm lab was not handed out');
          }
        }
        for (const k of [warm, cold]) for (const id of await classes.labIds(k.classId)) await lab.labServer.labs.delete(id);
        return { value: median(warmMs), extra: { cold_lab_ready_ms: median(coldMs) } };
      },
    };
  },
};

async function openJoinLink(lab: GuideLab, classId: string, code: string): Promise<number> {
  const context = await lab.newContext();
  try {
    const { page, url } = await lab.newPage(context);
    const t0 = performance.now();
    await page.goto(`${url(PAGE)}${url(PAGE).includes('?') ? '&' : '?'}class=${classId}&code=${encodeURIComponent(code)}&name=bench`, { waitUntil: 'commit' });
    await page.locator('[data-lab-part="progress"] [data-phase]').first().waitFor({ timeout: 60_000 });
    return performance.now() - t0;
  } finally {
    await context.close();
  }
}
