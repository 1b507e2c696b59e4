import { describe, expect, it } from 'vitest';
import { PROJECT_UID_PATTERN, projectUid } from './project-uid';

describe('projectUid', () => {
  it('is 24 hex digits, the same for the same name in any case', () => {
    expect(projectUid('Default')).toMatch(PROJECT_UID_PATTERN);
    expect(projectUid('Retail-East')).toBe(projectUid('retail-east'));
  });

  it('differs between names', () => {
    const names = ['Default', 'Retail-East', 'Retail-West', 'a', 'b', 'ab', 'ba'];
    expect(new Set(names.map(projectUid)).size).toBe(names.length);
  });
});
