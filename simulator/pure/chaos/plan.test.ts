import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SCENARIO_STEPS } from '../scenarios/scenario-steps';
import { FAULT_KINDS, FAULT_STEPS, planFaults, seededRandom } from './plan';

const order = (path: string): number => SCENARIO_STEPS.findIndex((s) => s.path === path);

describe('a chaos plan', () => {
  it('is the same for the same seed and differs for another', () => {
    const a = planFaults({ labs: 3, faults: 20, seed: 42 });
    expect(planFaults({ labs: 3, faults: 20, seed: 42 })).toEqual(a);
    expect(planFaults({ labs: 3, faults: 20, seed: 43 })).not.toEqual(a);
  });

  it('places every fault in a step where its kind can hit, in step order within each lab, numbered in run order', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 0xffffffff }), (labs, faults, seed) => {
      const plan = planFaults({ labs, faults, seed });
      expect(plan).toHaveLength(faults);
      expect(plan.map((f) => f.n)).toEqual(plan.map((_, i) => i + 1));
      for (const f of plan) {
        expect(FAULT_STEPS[f.kind]).toContain(f.step);
        expect(f.delayMs).toBeGreaterThanOrEqual(0);
        expect(f.holdMs).toBeGreaterThanOrEqual(1_000);
      }
      for (let lab = 1; lab <= labs; lab++) {
        const mine = plan.filter((f) => f.lab === lab);
        expect(mine.length).toBeGreaterThanOrEqual(Math.floor(faults / labs));
        expect(mine.length).toBeLessThanOrEqual(Math.ceil(faults / labs));
        for (let i = 1; i < mine.length; i++) expect(order(mine[i]!.step)).toBeGreaterThanOrEqual(order(mine[i - 1]!.step));
      }
      // Labs come one after another.
      expect(plan.map((f) => f.lab)).toEqual([...plan.map((f) => f.lab)].sort((x, y) => x - y));
    }));
  });

  it('uses only the kinds it is given, and every kind over a long run', () => {
    const only = planFaults({ labs: 2, faults: 40, seed: 7, kinds: ['store-lock', 'power-cut'] });
    expect(new Set(only.map((f) => f.kind))).toEqual(new Set(['store-lock', 'power-cut']));
    expect(new Set(planFaults({ labs: 10, faults: 100, seed: 1 }).map((f) => f.kind))).toEqual(new Set(FAULT_KINDS));
  });

  it('refuses counts and seeds it cannot use, naming the option', () => {
    expect(() => planFaults({ labs: 0, faults: 5, seed: 1 })).toThrow(/^\[chaos\] --labs must be a whole number of at least 1 \(got 0\)/);
    expect(() => planFaults({ labs: 1, faults: 2.5, seed: 1 })).toThrow(/--faults must be a whole number/);
    expect(() => planFaults({ labs: 1, faults: 5, seed: -1 })).toThrow(/--seed must be a whole number from 0/);
    expect(() => planFaults({ labs: 1, faults: 5, seed: 1, kinds: [] })).toThrow(/no fault kind/);
  });

  it('draws from a generator that stays in [0, 1) and spreads', () => {
    const r = seededRandom(99);
    const xs = Array.from({ length: 1000 }, r);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.filter((x) => x < 0.5).length).toBeGreaterThan(400);
    expect(xs.filter((x) => x < 0.5).length).toBeLessThan(600);
  });
});
