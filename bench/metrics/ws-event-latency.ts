import { performance } from 'node:perf_hooks';
import { createLab, LabClient } from '../../simulator/scenarios/lab-client';
import { median } from '../stats';
import type { Metric } from '../context';
import { benchLabServer } from './lab-server';

const ROUNDS = 50;

/**
 * From a page's command to the page seeing the lab event it caused: the command
 * crosses the WebSocket, is appended to the lab's log (SQLite, committed), is
 * applied to the lab's statechart, and the event comes back over the socket.
 */
export const wsEventLatency: Metric = {
  name: 'ws_event_latency_ms',
  unit: 'ms',
  what: `a CHECK sent over the lab WebSocket → its \`lab.command\` event received back (median of ${ROUNDS} per sample)`,
  target: [],
  baseline: null,
  notes: ['No VM is involved: this measures the lab server (log append in SQLite, statechart, socket), not the guests. The check itself fails (no profile yet) and is recorded; that work happens after the event is sent.'],
  async prepare() {
    const { server, close } = await benchLabServer();
    const lab = await createLab(server.url, 'single-node');
    const client = new LabClient(server.url, lab);
    await client.connect();
    return {
      async sample() {
        const times: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const seen = new Promise<number>((resolve) => {
            const off = client.onEvent((e) => { if (e.type === 'lab.command') { off(); resolve(performance.now()); } });
          });
          const t0 = performance.now();
          await client.command({ kind: 'lab' }, 'CHECK');
          times.push((await seen) - t0);
        }
        return { value: median(times), extra: { max_ms: Math.max(...times) } };
      },
      async close() {
        client.close();
        await close();
      },
    };
  },
};
