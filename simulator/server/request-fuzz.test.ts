// The lab server under generated requests (simulator/testing/request-fuzz.ts says what is
// generated and the rule each answer keeps). Seeded: set EDGE_LAB_FUZZ_SEED to replay a run;
// fast-check prints the seed and the shrunk case on failure. At least 10,000 cases per run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseArb, startFuzzTarget, tryCase, type Case } from '../testing/request-fuzz';

const SEED = Number(process.env.EDGE_LAB_FUZZ_SEED ?? Date.now() % 2 ** 31);
const RUNS = 2600;

let close: (() => Promise<void>) | undefined;
beforeAll(async () => { ({ close } = await startFuzzTarget()); });
afterAll(async () => { await close?.(); });

let answered = 0;
async function check(c: Case): Promise<void> {
  const r = await tryCase(c);
  answered++;
  expect(r.problem).toBeNull();
}

describe(`generated requests against the lab server (seed ${SEED}; replay with EDGE_LAB_FUZZ_SEED=${SEED})`, () => {
  it('never answers 5xx, and serves only what the canonical request by a permitted role gets', async () => {
    await fc.assert(fc.asyncProperty(caseArb, check), { seed: SEED, numRuns: RUNS, endOnFailure: true });
  }, 240_000);

  it('serves no other spelling of a path, whatever the role', async () => {
    await fc.assert(fc.asyncProperty(caseArb.filter((c) => c.mutations.length > 0), check), { seed: SEED + 1, numRuns: RUNS, endOnFailure: true });
  }, 240_000);

  it('takes a change only from a permitted role, with an allowed Origin and JSON', async () => {
    await fc.assert(fc.asyncProperty(caseArb.filter((c) => c.route.method !== 'GET' && c.mutations.length === 0), check), { seed: SEED + 2, numRuns: RUNS, endOnFailure: true });
  }, 240_000);

  it('reads bodies of any shape without failing', async () => {
    await fc.assert(fc.asyncProperty(caseArb.filter((c) => c.body.kind === 'raw' && c.mutations.length === 0), check), { seed: SEED + 3, numRuns: RUNS, endOnFailure: true });
    expect(answered).toBeGreaterThanOrEqual(10_000);
  }, 240_000);
});
