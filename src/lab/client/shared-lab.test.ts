import { describe, expect, it } from 'vitest';
import { enterFromSearch } from './shared-lab';

describe('entering a shared lab from the address', () => {
  it('reads a member invite link and a trainer link', () => {
    expect(enterFromSearch('?lab=lab-abc123&invite=CODE')).toEqual({ labId: 'lab-abc123', invite: 'CODE' });
    expect(enterFromSearch('?lab=lab-abc123&session=SECRET')).toEqual({ labId: 'lab-abc123', sessionSecret: 'SECRET' });
  });
  it('ignores anything else', () => {
    expect(enterFromSearch('')).toBeNull();
    expect(enterFromSearch('?lab=lab-abc123')).toBeNull();
    expect(enterFromSearch('?lab=../etc&invite=x')).toBeNull();
  });
});
