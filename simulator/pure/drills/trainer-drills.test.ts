import { describe, expect, it } from 'vitest';
import { drillsFor, trainerDrill, trainerDrillSchema, TRAINER_DRILLS } from './trainer-drills';

describe('trainer drills', () => {
  it('offers pulling the cable while it is in, and only plugging it back while it is out', () => {
    expect(drillsFor({ cable: 'in' }).map((d) => d.command)).toEqual(['UNPLUG_CABLE']);
    expect(drillsFor({ cable: 'out' }).map((d) => d.command)).toEqual(['PLUG_CABLE']);
  });

  it('names every drill once, each with its own command', () => {
    expect(new Set(TRAINER_DRILLS.map((d) => d.id)).size).toBe(TRAINER_DRILLS.length);
    expect(new Set(TRAINER_DRILLS.map((d) => d.command)).size).toBe(TRAINER_DRILLS.length);
    expect(trainerDrill('plug-cable')).toMatchObject({ command: 'PLUG_CABLE', breaks: false });
    expect(trainerDrillSchema.safeParse('unplug-cabel').success).toBe(false);
  });
});
