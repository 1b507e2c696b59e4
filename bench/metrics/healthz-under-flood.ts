import { performance } from 'node:perf_hooks';
import { createLab } from '../../simulator/scenarios/lab-client';
import { PING_FRAMES, RawLabSocket } from '../../simulator/server/socket/flood-kit';
import { percentile } from '../stats';
import type { Metric } from '../context';
import { benchLabServer } from './lab-server';

const FLOOD_MS = 3_000;

/**
 * Whether one token holder can stall the lab server through its WebSocket: while one socket
 * floods protocol pings as fast as the kernel takes them, how long GET /healthz takes.
 */
export const healthzUnderFlood: Metric = {
  name: 'healthz_under_flood_ms',
  unit: 'ms',
  what: `p99 of GET /healthz, one request after another, while one lab socket floods \`{"type":"ping"}\` frames for ${FLOOD_MS / 1000} s (writing on after the server's close until it drops the connection, then reconnecting)`,
  target: [{ kind: 'max', value: 100 }],
  baseline: null,
  notes: [
    'The flooder writes pre-built frames on a bare TCP connection (simulator/server/socket/flood-kit.ts), so it costs this process next to nothing; the server closes it with 4004 after its burst of frames and drops it after FLOOD_CLOSE_GRACE_MS.',
    'Each flooding socket lives about FLOOD_CLOSE_GRACE_MS (1 s), so the flooder opens about three per sample; a sample fails unless each was closed with 4004.',
    '`p50_ms` and `max_ms` are of the same requests (thousands per sample); `quiet_p99_ms` is the p99 of as many seconds of /healthz just before, without a flood.',
    'Client and server share this process and its 2 cores.',
  ],
  async prepare() {
    const { server, close } = await benchLabServer();
    const lab = await createLab(server.url, 'single-node');
    const url = `${server.url.replace(/^http/, 'ws')}/labs/${lab.labId}/socket?token=${encodeURIComponent(lab.token)}`;
    const probe = async (until: Promise<unknown>): Promise<number[]> => {
      let over = false;
      void until.finally(() => (over = true));
      const times: number[] = [];
      while (!over) {
        const t0 = performance.now();
        const res = await fetch(`${server.url}/healthz`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`[bench] /healthz answered ${res.status} during the flood`);
        times.push(performance.now() - t0);
      }
      return times;
    };
    return {
      async sample() {
        const quiet = await probe(new Promise((resolve) => setTimeout(resolve, FLOOD_MS)));
        const flood = (async () => {
          for (const end = Date.now() + FLOOD_MS; Date.now() < end;) {
            const raw = await RawLabSocket.open(url);
            const { close: seen } = await raw.flood(PING_FRAMES, 10_000, { ignoreClose: true });
            if (seen?.code !== 4004) throw new Error(`[bench] the flooding socket was closed with ${JSON.stringify(seen)}, not 4004`);
          }
        })();
        const times = await probe(flood);
        await flood;
        return {
          value: percentile(times, 99),
          extra: { p50_ms: percentile(times, 50), max_ms: Math.max(...times), quiet_p99_ms: percentile(quiet, 99) },
        };
      },
      close,
    };
  },
};
