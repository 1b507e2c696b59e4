import { describe, expect, it } from 'vitest';
import { consoleDelta, hostButtons } from './host-actions';

const snap = (text: string, endOffset: number) => ({ hostId: 'h', bytes: new TextEncoder().encode(text), endOffset, gaps: [], trimmedBytes: 0 });
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('host panel helpers', () => {
  it('shows exactly the allowed commands, in the panel order', () => {
    expect(hostButtons(['POWER_ON', 'INSERT_USB']).map((b) => b.label)).toEqual(['Insert the installer stick', 'Insert the site user data stick', 'Power on']);
    expect(hostButtons([])).toEqual([]);
  });

  it('writes only what the terminal has not shown yet', () => {
    expect(str(consoleDelta(snap('hello world', 111), 106))).toBe('world');
    expect(str(consoleDelta(snap('hello world', 111), 111))).toBe('');
    expect(str(consoleDelta(snap('hello world', 111), 0))).toBe('hello world');
  });
});
