import { describe, expect, it } from 'vitest';
import { defaultHostLimit, LabPlaces } from './lab-places';

describe('lab places', () => {
  it('gives places until the limit, then queues first come first served', () => {
    const p = new LabPlaces(3);
    expect(p.request('a', 1)).toEqual({ placed: true });
    expect(p.request('b', 2)).toEqual({ placed: true });
    expect(p.used()).toBe(3);
    expect(p.request('c', 1)).toEqual({ placed: false, position: 1 });
    expect(p.request('d', 1)).toEqual({ placed: false, position: 2 });
    // Asking again keeps the position.
    expect(p.request('d', 1)).toEqual({ placed: false, position: 2 });
    expect(p.release('a')).toEqual(['c']);
    expect(p.holds('c')).toBe(true);
    expect(p.position('d')).toBe(1);
    expect(p.release('b')).toEqual(['d']);
    expect(p.used()).toBe(2);
  });

  it('does not let a small lab overtake a bigger one at the head', () => {
    const p = new LabPlaces(3);
    p.request('a', 2);
    expect(p.request('big', 3)).toEqual({ placed: false, position: 1 });
    expect(p.request('small', 1)).toEqual({ placed: false, position: 2 });
    expect(p.release('a')).toEqual(['big']);
    expect(p.position('small')).toBe(1);
  });

  it('does not queue a lab made ahead of need, and forgets a lab that leaves the queue', () => {
    const p = new LabPlaces(1);
    p.request('a', 1);
    expect(p.request('warm', 1, { queue: false })).toEqual({ placed: false, position: 0 });
    expect(p.queued).toBe(0);
    p.request('b', 1);
    expect(p.release('b')).toEqual([]);
    expect(p.queued).toBe(0);
  });

  it('refuses a limit that is not a whole number ≥ 1', () => {
    expect(() => new LabPlaces(0)).toThrow(/\[lab-places\] the limit of running hosts must be a whole number ≥ 1, not 0/);
  });

  it('takes its default from memory and cores', () => {
    expect(defaultHostLimit(24 * 1024 ** 3, 2)).toBe(60);
    expect(defaultHostLimit(4 * 1024 ** 3, 8)).toBe(15);
  });
});
