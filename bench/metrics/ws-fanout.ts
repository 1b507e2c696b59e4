import { createLab, LabClient, type OpenedLab } from '../../simulator/scenarios/lab-client';
import type { Metric } from '../context';
import { benchLabServer } from './lab-server';

const LABS = 30;
const SOCKETS = 200;
const ACTIVITY_MS = 60_000;
/** Each lab's pace: a Palette change (a token made, or the last one deleted) this often. */
const CHANGE_EVERY_MS = 500;

/**
 * Many pages on many labs at once, as a room is: SOCKETS page sockets spread over LABS labs, while
 * every lab's log grows for ACTIVITY_MS. Every socket must see every entry of its lab's log exactly
 * once, in order; the delivery latency is measured from the entry's append to its arrival.
 */
export const wsFanout: Metric = {
  name: 'ws_fanout_lost_events',
  unit: 'events',
  what: `${SOCKETS} lab sockets over ${LABS} labs (each lab's log growing by a Palette change every ${CHANGE_EVERY_MS} ms, through its page API) for ${ACTIVITY_MS / 1000} s: entries a socket missed or got twice, summed over all sockets`,
  target: [{ kind: 'max', value: 0 }],
  baseline: null,
  maxIterations: 1,
  notes: [
    'Real lab server (SQLite log, the socket layer) on loopback, clients in the benchmark\'s process; no VM is involved. Each socket says hello from seq 0, so it must receive the whole log: the catch-up and then live entries. `ws_fanout_p99_ms` is the 99th percentile of (arrival − the entry\'s append time) over every delivery, target ≤ 100 ms; `ws_fanout_deliveries` how many there were.',
  ],
  async prepare() {
    // One client address opens all the labs here, as a room's many addresses would.
    const { server, close } = await benchLabServer({ labsPerMinute: 1000 });
    return {
      async sample() {
        const labs: OpenedLab[] = [];
        for (let i = 0; i < LABS; i++) labs.push(await createLab(server.url, 'single-node'));
        const sockets: { lab: OpenedLab; client: LabClient; seen: number[] }[] = [];
        const latencies: number[] = [];
        for (let i = 0; i < SOCKETS; i++) {
          const lab = labs[i % LABS]!;
          const client = new LabClient(server.url, lab);
          const seen: number[] = [];
          const since = Date.now();
          // Latency of live entries only: the catch-up replays entries appended before the socket opened.
          client.onEvent((e) => { seen.push(e.seq); if (e.at >= since) latencies.push(Date.now() - e.at); });
          await client.connect();
          sockets.push({ lab, client, seen });
        }
        const stopAt = Date.now() + ACTIVITY_MS;
        await Promise.all(labs.map(async (lab, i) => {
          for (let n = 0; Date.now() < stopAt; n++) {
            const made = n % 2 === 0;
            const name = `fanout-${i}-${n >> 1}`;
            const res = await fetch(`${server.url}/labs/${lab.labId}/palette/v1/tokens${made ? '' : `/${name}`}`, {
              method: made ? 'POST' : 'DELETE',
              headers: { authorization: `Bearer ${lab.token}`, origin: new URL(server.url).origin, ...(made ? { 'content-type': 'application/json' } : {}) },
              ...(made ? { body: JSON.stringify({ name }) } : {}),
            });
            if (res.status >= 300) throw new Error(`[bench] a Palette change in ${lab.labId} was refused: ${res.status} ${await res.text()}`);
            await new Promise((r) => setTimeout(r, CHANGE_EVERY_MS));
          }
        }));
        await new Promise((r) => setTimeout(r, 2_000)); // the last entries' way over the sockets
        let wrong = 0;
        for (const s of sockets) {
          const last = ((await s.client.http('GET', '/view')).body as { seq: number }).seq;
          const distinct = new Set(s.seen);
          const missed = last - [...distinct].filter((q) => q >= 1 && q <= last).length;
          const twice = s.seen.length - distinct.size;
          const outOfOrder = s.seen.some((q, k) => k > 0 && q <= s.seen[k - 1]!) ? 1 : 0;
          wrong += missed + twice + (twice === 0 ? outOfOrder : 0);
          s.client.close();
        }
        for (const lab of labs) await server.labs.delete(lab.labId);
        latencies.sort((a, b) => a - b);
        return { value: wrong, extra: { ws_fanout_p99_ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0, ws_fanout_deliveries: latencies.length } };
      },
      close,
    };
  },
};
