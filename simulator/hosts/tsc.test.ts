import { describe, expect, it } from 'vitest';
import { parseTscKhz } from './tsc';

describe('parseTscKhz', () => {
  it('reads the first cpu MHz line', () => {
    expect(parseTscKhz('processor\t: 0\ncpu MHz\t\t: 2596.140\ncpu MHz\t\t: 1.0\n')).toBe(2596140);
  });
  it('falls back to 2 GHz without one', () => {
    expect(parseTscKhz('')).toBe(2_000_000);
  });
});
