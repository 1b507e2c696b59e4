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

describe('places for warm labs', () => {
  it('holds warm labs within their share, never queues them, and frees the share when one is claimed', () => {
    const p = new LabPlaces(4);
    expect(p.aheadLimit).toBe(2);
    expect(p.request('w1', 1, { ahead: true })).toEqual({ placed: true });
    expect(p.request('w2', 1, { ahead: true })).toEqual({ placed: true });
    expect(p.request('w3', 1, { ahead: true })).toEqual({ placed: false, position: 0 });
    expect(p.queued).toBe(0);
    // The rest is for labs people opened.
    expect(p.request('a', 1)).toEqual({ placed: true });
    expect(p.request('b', 1)).toEqual({ placed: true });
    expect(p.request('c', 1)).toEqual({ placed: false, position: 1 });
    // A claimed warm lab is an ordinary one: the share frees, the machine's room does not.
    p.claim('w1');
    expect(p.aheadUsed()).toBe(1);
    expect(p.request('w4', 1, { ahead: true })).toEqual({ placed: false, position: 0 });
    expect(p.release('w2')).toEqual(['c']);
    expect(p.aheadUsed()).toBe(0);
  });

  it('leaves at least one place for people: the share is below the limit', () => {
    expect(new LabPlaces(1).aheadLimit).toBe(0);
    expect(new LabPlaces(5).aheadLimit).toBe(2);
    expect(new LabPlaces(5, 4).aheadLimit).toBe(4);
    expect(() => new LabPlaces(3, 3)).toThrow(/^\[lab-places\] the places for warm labs must be a whole number from 0 to 2/);
  });
});
