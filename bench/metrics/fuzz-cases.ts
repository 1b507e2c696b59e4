import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { caseArb, startFuzzTarget, tryCase } from '../../simulator/testing/request-fuzz';
import type { Metric } from '../context';

const CASES = 2000;

/** How fast the generated-request test (simulator/server/request-fuzz.test.ts) goes through the real server. */
export const fuzzCasesPerSecond: Metric = {
  name: 'fuzz_cases_per_s',
  unit: 'cases/s',
  what: `${CASES} generated requests (any route, role, path spelling, body and headers; simulator/testing/request-fuzz.ts) sent one at a time to the lab server (fake VMs, real HTTP and SQLite), each answer checked; answered cases per second`,
  target: [],
  baseline: null,
  notes: ['Reported, no target: it says how many cases the test suite can afford per second of CI.'],
  async prepare() {
    const target = await startFuzzTarget();
    let seed = 1;
    return {
      async sample() {
        const cases = fc.sample(caseArb, { seed: seed++, numRuns: CASES });
        const t0 = performance.now();
        for (const c of cases) {
          const r = await tryCase(c);
          if (r.problem) throw new Error(`[bench] a generated request broke the rule: ${r.problem}`);
        }
        return { value: CASES / ((performance.now() - t0) / 1000) };
      },
      close: target.close,
    };
  },
};
