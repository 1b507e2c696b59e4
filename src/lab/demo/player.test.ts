import { describe, expect, it } from 'vitest';
import type { StepPlace } from './guide-map';
import { DemoPlayer, type DemoEffects } from './player';

/** A lab that moves to the next step whenever a step is performed. */
function fakeLab(steps: string[], opts: { failAt?: string } = {}) {
  let at = 0;
  const log: string[] = [];
  let releaseDelay: (() => void) | null = null;
  const effects: DemoEffects = {
    currentStep: async () => steps[at]!,
    label: (p) => `label of ${p}`,
    navigate: async (page) => void log.push(`go ${page}`),
    highlight: async (place: StepPlace | null) => void log.push(place ? `highlight ${place.part}` : 'highlight none'),
    perform: async (p) => {
      log.push(`do ${p}`);
      if (p === opts.failAt) throw new Error(`could not do ${p}`);
      at = Math.min(at + 1, steps.length - 1);
      return 'ok';
    },
    delay: (ms, cancelled) => new Promise<void>((resolve) => {
      log.push(`wait ${ms}`);
      if (ms === Infinity) { releaseDelay = resolve; void cancelled.then(resolve); } else resolve();
    }),
  };
  return { effects, log, step: () => steps[at], releaseDelay: () => releaseDelay?.(), skipTo: (i: number) => { at = i; } };
}

const STEPS = ['modelProfile', 'installHandoff.creatingToken', 'registration', 'done'];

describe('demo player', () => {
  it('plays every step in order, on its page and part, waiting the pace before each, then stops done', async () => {
    const lab = fakeLab(STEPS);
    const player = new DemoPlayer(lab.effects, 10);
    await player.play();
    expect(player.getSnapshot()).toMatchObject({ status: 'done', performed: 4 });
    expect(lab.log.slice(0, 4)).toEqual(['go /model-cluster-profile', 'highlight profile-builder', 'wait 10', 'do modelProfile']);
    expect(lab.log.filter((l) => l.startsWith('do '))).toEqual(STEPS.map((s) => `do ${s}`));
    expect(lab.log).toContain('go /perform-site-install');
    expect(lab.log.at(-1)).toBe('highlight none');
  });

  it('pauses before acting when paused while reading, and resumes from where the lab stands', async () => {
    const lab = fakeLab(STEPS);
    const player = new DemoPlayer(lab.effects, Infinity);
    const playing = player.play();
    await new Promise((r) => setTimeout(r, 0));
    expect(player.getSnapshot()).toMatchObject({ status: 'playing', phase: 'reading', stepLabel: 'label of modelProfile' });
    player.pause();
    await playing;
    expect(player.getSnapshot().status).toBe('paused');
    expect(lab.log.some((l) => l.startsWith('do '))).toBe(false);

    // The trainer does two steps by hand; Play goes on from the lab's step.
    lab.skipTo(2);
    player.setPace(0);
    await player.play();
    expect(lab.log.filter((l) => l.startsWith('do '))).toEqual(['do registration', 'do done']);
    expect(player.getSnapshot()).toMatchObject({ status: 'done', performed: 2 });
  });

  it('stops failed with the step\'s reason and can be played again', async () => {
    const lab = fakeLab(STEPS, { failAt: 'installHandoff.creatingToken' });
    const player = new DemoPlayer(lab.effects, 0);
    await player.play();
    expect(player.getSnapshot()).toMatchObject({ status: 'failed', message: 'could not do installHandoff.creatingToken', performed: 1 });
  });

  it('refuses a step it has no place for, in words', async () => {
    const lab = fakeLab(['somewhere.else']);
    const player = new DemoPlayer(lab.effects, 0);
    await player.play();
    expect(player.getSnapshot().message).toMatch(/somewhere\.else/);
  });
});
