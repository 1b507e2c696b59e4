import { describe, expect, it } from 'vitest';
import { leaderlessSpells, quorumLost, seeingLeaderIn, unanswered, type WatchSample } from './upgrade-drills';

/** Samples 2.5 s apart from t = 100 s, as the watch writes them on a busy machine. */
const at = (...members: string[]): WatchSample[] => members.map((m, i) => ({ t: 100 + 2.5 * i, members: m }));

describe('the etcd watch samples of a rolling upgrade', () => {
  it('counts the members that see a leader and tells samples without a verdict apart', () => {
    const samples = at('HHH', 'HH-', 'H--', 'HFF', 'FF-', '---', 'HHF');
    expect(samples.map((x) => seeingLeaderIn(x.members))).toEqual([3, 2, 1, 1, 0, 0, 2]);
    expect(unanswered(samples)).toEqual(['H--', '---']);
  });

  it('takes a short spell without a leader for an election, and a long one for the quorum lost', () => {
    // The leader repaved: the other two elect a new one within two samples (2.5 s).
    const election = at('-HH', 'HHH', 'HFF', '-FF', 'HHH', 'HHH');
    expect(leaderlessSpells(election)).toEqual([{ fromT: 105, seconds: 2.5, samples: ['HFF', '-FF'] }]);
    expect(quorumLost(election)).toEqual([]);
    // Two members away: the third stays leaderless, silent samples included, until one is back.
    const lost = at('HHH', '-F-', '---', '-F-', '-F-', '-F-', '-F-', 'HH-');
    expect(quorumLost(lost)).toEqual([{ fromT: 102.5, seconds: 12.5, samples: ['-F-', '---', '-F-', '-F-', '-F-', '-F-'] }]);
    // A spell still open when the watch was read counts too.
    expect(quorumLost(at('HHH', 'FFF', 'FFF', 'FFF', 'FFF', 'FFF'))).toHaveLength(1);
  });
});
