import { describe, expect, it } from 'vitest';
import { classIdFromSearch, learnerLink, trainerFromHash, trainerLink } from './class-links';
import { classJoinFromSearch } from './class-join';

describe('class links', () => {
  it('builds the learner link that the guide page reads back as a class join', () => {
    const link = learnerLink('http://127.0.0.1:3000', '/model-cluster-profile', 'cls-1', 'JOIN 42');
    expect(link).toBe('http://127.0.0.1:3000/model-cluster-profile?class=cls-1&code=JOIN+42');
    expect(classJoinFromSearch(new URL(link).search)).toEqual({ classId: 'cls-1', code: 'JOIN 42', learner: 'Learner' });
  });
  it('puts the trainer secret in the fragment and reads it back', () => {
    const link = trainerLink('http://127.0.0.1:3000', '/class', 'cls-1', 's3cret', 'JOIN42');
    expect(link).toBe('http://127.0.0.1:3000/class?class=cls-1#trainer=s3cret&code=JOIN42');
    const u = new URL(link);
    expect(classIdFromSearch(u.search)).toBe('cls-1');
    expect(trainerFromHash(u.hash)).toEqual({ trainerSecret: 's3cret', joinCode: 'JOIN42' });
    expect(trainerFromHash('#trainer=s3cret')).toEqual({ trainerSecret: 's3cret', joinCode: null });
    expect(trainerLink('http://x', '/class', 'c', 's', null)).toBe('http://x/class?class=c#trainer=s');
  });
  it('ignores fragments and queries without a class', () => {
    expect(trainerFromHash('')).toBeNull();
    expect(trainerFromHash('#top')).toBeNull();
    expect(classIdFromSearch('')).toBeNull();
    expect(classIdFromSearch('?class=../x')).toBeNull();
  });
});
