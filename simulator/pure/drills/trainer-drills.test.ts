import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drillsFor, trainerDrill, trainerDrillSchema, TRAINER_DRILLS, type TrainerDrillHost } from './trainer-drills';

const host = (h: Partial<TrainerDrillHost> = {}): TrainerDrillHost => ({ power: 'on', cable: 'in', disk: 'own', ...h });
const ids = (h: TrainerDrillHost) => drillsFor(h).map((d) => d.id);

describe('trainer drills', () => {
  it('offers pulling the cable while it is in, and only plugging it back while it is out', () => {
    expect(ids(host())).toEqual(['unplug-cable', 'cut-power']);
    expect(ids(host({ cable: 'out' }))).toEqual(['plug-cable', 'cut-power']);
  });

  it('offers the disk swap only on a host that is off, and putting its own disk back only while the small one is in', () => {
    expect(ids(host({ power: 'off' }))).toEqual(['unplug-cable', 'power-on', 'small-disk', 'clock-behind']);
    expect(ids(host({ power: 'off', disk: 'small' }))).toEqual(['unplug-cable', 'power-on', 'own-disk', 'clock-behind']);
    expect(ids(host({ power: 'off', clock: 'behind' }))).toEqual(['unplug-cable', 'power-on', 'small-disk', 'clock-right']);
    // A host that is on keeps its disk whatever it is: the host chart would refuse the swap.
    expect(ids(host({ disk: 'small' }))).not.toContain('own-disk');
  });

  it('never offers a drill and its own fix at once, and always offers something', () => {
    const pairs = [['unplug-cable', 'plug-cable'], ['cut-power', 'power-on'], ['small-disk', 'own-disk'], ['clock-behind', 'clock-right']];
    fc.assert(fc.property(
      fc.record({ power: fc.constantFrom('on', 'off'), cable: fc.constantFrom('in', 'out'), disk: fc.constantFrom('own', 'small'), clock: fc.constantFrom('right', 'behind') }),
      (h) => {
        const offered = ids(h as TrainerDrillHost);
        expect(offered.length).toBeGreaterThan(0);
        for (const [a, b] of pairs) expect(offered.includes(a as never) && offered.includes(b as never)).toBe(false);
      },
    ));
  });

  it('names every drill once, each with its own command and words', () => {
    expect(new Set(TRAINER_DRILLS.map((d) => d.id)).size).toBe(TRAINER_DRILLS.length);
    expect(new Set(TRAINER_DRILLS.map((d) => d.command)).size).toBe(TRAINER_DRILLS.length);
    expect(new Set(TRAINER_DRILLS.map((d) => d.label)).size).toBe(TRAINER_DRILLS.length);
    expect(trainerDrill('plug-cable')).toMatchObject({ command: 'PLUG_CABLE', breaks: false });
    expect(trainerDrill('cut-power')).toMatchObject({ command: 'POWER_OFF', breaks: true });
    expect(trainerDrillSchema.safeParse('unplug-cabel').success).toBe(false);
  });
});
