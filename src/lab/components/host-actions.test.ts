import { describe, expect, it } from 'vitest';
import { consoleDelta, hostButtons } from './host-actions';

const snap = (text: string, endOffset: number) => ({ hostId: 'h', bytes: new TextEncoder().encode(text), endOffset, gaps: [], trimmedBytes: 0 });
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('host panel helpers', () => {
  it('shows exactly the allowed commands, in the panel order', () => {
    expect(hostButtons(['POWER_ON', 'INSERT_USB']).map((b) => b.label)).toEqual(['Insert the installer stick', 'Insert the site user data stick', 'Power on']);
    expect(hostButtons([])).toEqual([]);
    // Breaking a host is offered only where a page asks for drills; putting the cable back always.
    expect(hostButtons(['UNPLUG_CABLE', 'POWER_OFF']).map((b) => b.command)).toEqual(['POWER_OFF']);
    expect(hostButtons(['UNPLUG_CABLE', 'POWER_OFF'], { drills: true }).map((b) => b.command)).toEqual(['UNPLUG_CABLE', 'POWER_OFF']);
    expect(hostButtons(['PLUG_CABLE']).map((b) => b.label)).toEqual(['Plug the network cable back in']);
  });

  it('writes only what the terminal has not shown yet', () => {
    expect(str(consoleDelta(snap('hello world', 111), 106))).toBe('world');
    expect(str(consoleDelta(snap('hello world', 111), 111))).toBe('');
    expect(str(consoleDelta(snap('hello world', 111), 0))).toBe('hello world');
  });
});
