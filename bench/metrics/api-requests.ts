import { performance } from 'node:perf_hooks';
import { createLab } from '../../simulator/scenarios/lab-client';
import type { Metric } from '../context';
import { benchLabServer } from './lab-server';

const CONCURRENCY = 8;
const DURATION_MS = 3_000;

/** Throughput of the simulated Palette's page API, with admission (token, Origin) and SQLite reads. */
export const apiRequestsPerSecond: Metric = {
  name: 'api_requests_per_s',
  unit: 'req/s',
  what: `GET /labs/<id>/palette/v1/edgehosts with the lab token, ${CONCURRENCY} at a time for ${DURATION_MS / 1000} s; completed 200 answers per second`,
  target: [],
  baseline: null,
  notes: ['Client and server share this process and its 2 cores, so this is a floor of what the server does alone.'],
  async prepare() {
    const { server, close } = await benchLabServer();
    const lab = await createLab(server.url, 'single-node');
    const url = `${server.url}/labs/${lab.labId}/palette/v1/edgehosts`;
    const headers = { authorization: `Bearer ${lab.token}` };
    return {
      async sample() {
        let ok = 0;
        let failed = 0;
        const end = performance.now() + DURATION_MS;
        const t0 = performance.now();
        await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
          while (performance.now() < end) {
            const res = await fetch(url, { headers });
            await res.arrayBuffer();
            if (res.status === 200) ok++; else failed++;
          }
        }));
        if (failed > 0) throw new Error(`[bench] ${failed} request(s) did not answer 200`);
        return { value: ok / ((performance.now() - t0) / 1000) };
      },
      close,
    };
  },
};
