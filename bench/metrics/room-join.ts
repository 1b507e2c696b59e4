import { RoomLab } from '../../simulator/testing/browser/room-lab';
import type { Metric } from '../context';
import { median } from '../stats';

const PAGE = '/model-cluster-profile';
const ROUNDS = 3;

/**
 * A learner on another computer joining a class in a room: the join link opened in the learners'
 * browser, which runs in a network namespace of the run's own and reaches the room-mode lab server
 * (site, API and sockets on one port) over a veth pair, as a LAN would carry it.
 */
export const roomJoin: Metric = {
  name: 'room_join_ms',
  unit: 'ms',
  what: `a class's join link (\`<public URL>${PAGE}?class=…&code=…\`) opened by a learner in another network namespace, a warm lab waiting: from \`page.goto\` to the progress part showing the lab's phases (page loaded, join done, socket open, view drawn); median of ${ROUNDS} loads per sample, each in a fresh browser context`,
  target: [{ kind: 'max', value: 1000 }],
  baseline: null,
  notes: [
    'The lab server runs in room mode on this machine\'s end of a veth pair (198.18.0.0/15); headless Chromium (Debian\'s) runs inside the namespace. `room_join_page_ms` is the part before the page\'s first call to /api (the site\'s HTML, scripts and hydration), `room_join_lab_ms` the part from there to the live lab. The hosts of a fresh lab are off, so no VM is involved.',
  ],
  async prepare(ctx) {
    ctx.log('room: network namespace, site build, room-mode lab server, two Chromiums (untimed)');
    const made = await RoomLab.start({ log: (l) => ctx.log(`room: ${l}`) });
    if (!made.ok) throw new Error(`[bench] room_join_ms needs a network namespace of its own: ${made.reason}`);
    const room = made.lab;
    const classes = room.labServer.classes;
    const k = await classes.create({ scenario: 'single-node', name: 'bench room', warm: 0 });
    return {
      async sample() {
        const whole: number[] = [];
        const lab: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          await classes.setWarm(k.classId, 1);
          if ((await classes.labIds(k.classId, { warm: true })).length !== 1) throw new Error('[bench] the warm pool did not make a lab');
          const { page } = await room.learnerPage();
          try {
            let asked = Number.NaN;
            page.on('request', (q) => { if (Number.isNaN(asked) && q.url().startsWith(`${room.publicUrl}/api/`)) asked = performance.now(); });
            const t0 = performance.now();
            await page.goto(`${room.publicUrl}${PAGE}?class=${k.classId}&code=${encodeURIComponent(k.joinCode)}&name=bench`, { waitUntil: 'commit' });
            await page.locator('[data-lab-part="progress"] [data-phase]').first().waitFor({ timeout: 60_000 });
            const end = performance.now();
            if (Number.isNaN(asked)) throw new Error('[bench] the page showed a lab without calling /api');
            whole.push(end - t0);
            lab.push(end - asked);
          } finally {
            await page.context().close();
          }
          await classes.setWarm(k.classId, 0);
        }
        for (const id of await classes.labIds(k.classId)) await room.labServer.labs.delete(id);
        const w = median(whole);
        const l = median(lab);
        return { value: w, extra: { room_join_lab_ms: l, room_join_page_ms: w - l } };
      },
      close: () => room.close(),
    };
  },
};
