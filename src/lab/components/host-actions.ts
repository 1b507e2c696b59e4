/**
 * Pure helpers of the host panel: which buttons a host shows (exactly the
 * commands its view allows, in a fixed order, with words a person uses), and
 * which console bytes a terminal has not written yet.
 */
import type { ConsoleSnapshot } from '../client';

/** `stick`: which stick INSERT_USB puts in (the newest of its kind). */
export type StickChoice = 'installer' | 'site';

/** `drill`: a button that breaks the host on purpose, shown only where a page offers drills. */
export interface HostButton { command: string; label: string; stick?: StickChoice; drill?: true }

export const HOST_BUTTONS: readonly HostButton[] = [
  { command: 'INSERT_USB', label: 'Insert the installer stick', stick: 'installer' },
  { command: 'INSERT_USB', label: 'Insert the site user data stick', stick: 'site' },
  { command: 'REMOVE_USB', label: 'Remove the stick' },
  { command: 'RESUME', label: 'Resume' },
  { command: 'UNPLUG_CABLE', label: 'Unplug the network cable', drill: true },
  { command: 'PLUG_CABLE', label: 'Plug the network cable back in' },
  { command: 'FIT_SMALL_DISK', label: 'Swap in a disk that is too small', drill: true },
  { command: 'FIT_LARGE_DISK', label: 'Put the host\'s own disk back' },
  { command: 'SET_CLOCK_BEHIND', label: 'Set its hardware clock 3 hours behind', drill: true },
  { command: 'SET_CLOCK_RIGHT', label: 'Set its hardware clock right' },
  { command: 'POWER_ON', label: 'Power on' },
  { command: 'POWER_BUTTON', label: 'Press the power button' },
  { command: 'RESET', label: 'Reset' },
  { command: 'POWER_OFF', label: 'Pull the plug' },
];

/** The buttons for the commands `allowed` now; the drill buttons only with `drills`. The fix of a drill (plug the cable back in, put the disk back) always shows. */
export function hostButtons(allowed: readonly string[], opts: { drills?: boolean } = {}): HostButton[] {
  return HOST_BUTTONS.filter((b) => allowed.includes(b.command) && (opts.drills || !b.drill));
}

/**
 * The bytes of `snapshot` after stream offset `written` (what a terminal already
 * shows). If the terminal fell further behind than the buffer reaches, it gets
 * everything the buffer still holds.
 */
export function consoleDelta(snapshot: ConsoleSnapshot, written: number): Uint8Array {
  const missing = snapshot.endOffset - written;
  if (missing <= 0) return new Uint8Array(0);
  return snapshot.bytes.subarray(Math.max(0, snapshot.bytes.length - missing));
}
