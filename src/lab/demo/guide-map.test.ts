import { describe, expect, it } from 'vitest';
import { LAB_STEPS } from '../../../simulator/pure/machines/lab.steps';
import { SCENARIO_STEPS } from '../../../simulator/pure/scenarios/scenario-steps';
import { LAB_PART_NAMES } from '../part-names';
import { STEP_PLACES, stepPlace } from './guide-map';

describe('the guide map', () => {
  it('has a place for every step the player performs, and no other', () => {
    expect(Object.keys(STEP_PLACES).sort()).toEqual(SCENARIO_STEPS.map((s) => s.path).sort());
    for (const p of Object.values(STEP_PLACES)) expect(LAB_PART_NAMES).toContain(p.part);
  });

  it('hands the hosts over where they were installed, and checks at the end where the cluster is', () => {
    expect(stepPlace('installHandoff.shippingHosts')).toEqual(stepPlace('installHandoff.installingHosts'));
    expect(stepPlace('done')).toEqual(STEP_PLACES.verify);
    expect(LAB_STEPS.every((s) => stepPlace(s.path) !== undefined)).toBe(true);
  });
});
