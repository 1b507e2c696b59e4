import { describe, expect, it } from 'vitest';
import { seeingLeaderIn, quorumLost, unanswered } from './upgrade-drills';

describe('the etcd watch samples of a rolling upgrade', () => {
  it('counts the members that see a leader and tells a lost quorum from members that gave no answer', () => {
    const samples = ['HHH', 'HH-', 'H--', 'HFF', 'FF-', '---', 'HHF'];
    expect(samples.map(seeingLeaderIn)).toEqual([3, 2, 1, 1, 0, 0, 2]);
    expect(quorumLost(samples)).toEqual(['HFF', 'FF-']);
    expect(unanswered(samples)).toEqual(['H--', '---']);
  });
});
