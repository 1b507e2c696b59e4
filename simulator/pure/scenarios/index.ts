/** The scenarios the lab can run, by name. */
import { didYouMean } from '../user-data/did-you-mean';
import { haThreeCp } from './ha-three-cp';
import { singleNode } from './single-node';
import { threeNode } from './three-node';
import type { Scenario } from './types';

export type { Scenario, ScenarioHost, UserDataVars } from './types';

export const SCENARIOS: readonly Scenario[] = [singleNode, threeNode, haThreeCp];

export type ScenarioLookup = { ok: true; scenario: Scenario } | { ok: false; message: string };

export function findScenario(name: string): ScenarioLookup {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (scenario) return { ok: true, scenario };
  const names = SCENARIOS.map((s) => s.name);
  const guess = didYouMean(name, names);
  return {
    ok: false,
    message: `[scenario] no scenario named "${name}"${guess ? `; did you mean "${guess}"?` : ''} (known: ${names.join(', ')})`,
  };
}
