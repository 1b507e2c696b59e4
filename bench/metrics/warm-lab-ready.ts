import type { GuideLab } from '../../simulator/testing/browser/guide-lab';
import type { Metric } from '../context';
import { median } from '../stats';
import { benchGuideLab } from './guide-lab';

/** The first guide: where a class's join link leads. */
const PAGE = '/model-cluster-profile';
const ROUNDS = 3;

/**
 * A learner opening the class's join link: from the moment the open page asks
 * the lab server for its lab to the lab live in the page (its phases drawn
 * from the lab's own view), with a warm lab waiting, against the same with
 * none (the lab made on joining). The page's own load is reported beside it.
 */
export const warmLabReady: Metric = {
  name: 'warm_lab_ready_ms',
  unit: 'ms',
  what: `a class's join link (\`${PAGE}?class=…&code=…\`) opened in a fresh browser context: from the page's first request to the lab server (its join) to the progress part showing the lab's phases (the lab handed over, its socket open, its view drawn); median of ${ROUNDS} loads per sample, alternating with as many loads of a class without warm labs (the baseline)`,
  target: [{ kind: 'max', value: 500 }],
  baseline: { extra: 'cold_lab_ready_ms', label: 'the same with no warm lab' },
  notes: [
    'Headless Chromium (Debian\'s, software rendering) on the built site served from 127.0.0.1 and this run\'s own lab server. A warm lab is made and opened before the load (untimed): the join hands it over. The cold class has no warm labs, so its join makes and opens a lab while the page waits. The labs\' hosts are off at this point (a fresh lab), so no VM is involved.',
    'The clock starts when the page, already open, asks for its lab: what a learner waits for beyond the page itself. `warm_page_to_lab_ms` is the whole wait from `page.goto` to the same end, and `warm_page_before_lab_ms` the part before the join: the site\'s own HTML and scripts (Docusaurus hydration and the lab part\'s chunk), which no pool can shorten and which `page_first_contentful_paint_ms` judges.',
    'The lab part\'s first chunk is small (the console\'s xterm.js and the editor\'s CodeMirror load on their own when shown), so the join starts while the rest of the page is still loading: some of the page\'s own work falls inside this window. Compare `warm_page_to_lab_ms` across runs for the whole wait.',
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
        const whole: number[] = [];
        const before: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          const warmFirst = (r + i) % 2 === 0;
          for (const isWarm of warmFirst ? [true, false] : [false, true]) {
            const k = isWarm ? warm : cold;
            if (isWarm) {
              await classes.setWarm(k.classId, 1);
              if ((await classes.labIds(k.classId, { warm: true })).length !== 1) throw new Error('[bench] the warm pool did not make a lab');
            }
            const t = await openJoinLink(lab, k.classId, k.joinCode);
            (isWarm ? warmMs : coldMs).push(t.labMs);
            if (isWarm) {
              whole.push(t.wholeMs);
              before.push(t.wholeMs - t.labMs);
              await classes.setWarm(k.classId, 0);
              if ((await classes.labIds(k.classId, { warm: true })).length !== 0) throw new Error('[bench] the warm lab was not handed out');
            }
          }
        }
        for (const k of [warm, cold]) for (const id of await classes.labIds(k.classId)) await lab.labServer.labs.delete(id);
        return { value: median(warmMs), extra: { cold_lab_ready_ms: median(coldMs), warm_page_to_lab_ms: median(whole), warm_page_before_lab_ms: median(before) } };
      },
    };
  },
};

/** Opens the join link; times from its first request to the lab server, and from page.goto, to the lab live. */
async function openJoinLink(lab: GuideLab, classId: string, code: string): Promise<{ labMs: number; wholeMs: number }> {
  const context = await lab.newContext();
  try {
    const { page, url } = await lab.newPage(context);
    let asked = Number.NaN;
    page.on('request', (r) => { if (Number.isNaN(asked) && r.url().startsWith(lab.labServerUrl)) asked = performance.now(); });
    const t0 = performance.now();
    await page.goto(`${url(PAGE)}${url(PAGE).includes('?') ? '&' : '?'}class=${classId}&code=${encodeURIComponent(code)}&name=bench`, { waitUntil: 'commit' });
    await page.locator('[data-lab-part="progress"] [data-phase]').first().waitFor({ timeout: 60_000 });
    const end = performance.now();
    if (Number.isNaN(asked)) throw new Error('[bench] the page showed a lab without asking the lab server for one');
    return { labMs: end - asked, wholeMs: end - t0 };
  } finally {
    await context.close();
  }
}
