import { describe, expect, it } from 'vitest';
import { stepOwnership } from './role-words';

describe('whose step it is', () => {
  it('says nothing to a solo reader', () => {
    expect(stepOwnership('it-ops', 'solo')).toEqual({ mine: true, words: '' });
    expect(stepOwnership('it-ops', null)).toEqual({ mine: true, words: '' });
  });
  it('tells a member whether the step is theirs, and whose it is', () => {
    expect(stepOwnership('it-ops', 'it-ops')).toEqual({ mine: true, words: 'Your step: you play IT/Ops.' });
    expect(stepOwnership('tenant-admin', 'it-ops')).toEqual({ mine: false, words: "The Tenant admin's step: you play IT/Ops. Their progress shows here live." });
    expect(stepOwnership('app-owner', 'trainer').mine).toBe(true);
  });
});
