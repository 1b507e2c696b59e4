/**
 * Out-of-band news of a lab: what happened beside the guide's steps that the learner must hear
 * of, each with the next step. They are not chart states of the lab (a restart or a failing
 * store says nothing about where the learner is in the guide) but they are named, shown on the
 * page above the lab's parts, and gone once they no longer hold.
 * Pure: the lab server builds them into every view; the page only shows them.
 */
import type { HostView } from './view';

export type LabNoticeKind = 'server-restarted' | 'host-crashed' | 'store-trouble' | 'disk-low';

// A type, not an interface: it goes into the view's JSON data, whose index signature interfaces do not meet.
export type LabNotice = {
  kind: LabNoticeKind;
  /** Error notices block progress until acted on; info notices explain what the page shows. */
  severity: 'error' | 'info';
  message: string;
  /** The VM names it concerns, when it concerns hosts. */
  hosts: string[];
};

/** The store failing for a while: its code and words (already prefixed `[store]`), and since when. */
export interface StoreTrouble {
  code: string;
  message: string;
  since: number;
}

export interface NoticeFacts {
  hosts: Readonly<Record<string, HostView>>;
  storeTrouble: StoreTrouble | null;
  /** Host reports waiting for the store. */
  unsaved: number;
  /** The lab server's disk is below its floor: its words (limits/disk-space.ts), else null. */
  diskLow?: string | null;
}

export function labNotices(f: NoticeFacts): LabNotice[] {
  const out: LabNotice[] = [];
  if (f.storeTrouble) {
    const held = f.unsaved > 0 ? ` ${f.unsaved} report${f.unsaved === 1 ? '' : 's'} from the hosts ${f.unsaved === 1 ? 'is' : 'are'} held and will be saved, in order, as soon as it can write again.` : '';
    out.push({
      kind: 'store-trouble', severity: 'error', hosts: [],
      message: `The lab server cannot save this lab right now: ${f.storeTrouble.message}.${held} Commands are refused until then; nothing you did is lost.`,
    });
  }
  if (f.diskLow) {
    const paused = Object.entries(f.hosts).filter(([, h]) => h.context.ioPause !== null).map(([name]) => name);
    const then = paused.length > 0 ? ` ${list(paused)} ${paused.length === 1 ? 'is' : 'are'} paused until then and ${paused.length === 1 ? 'goes' : 'go'} on by ${paused.length === 1 ? 'itself' : 'themselves'} once there is room.` : ' Hosts that need more disk pause until then and go on by themselves once there is room.';
    out.push({ kind: 'disk-low', severity: 'error', hosts: paused, message: `${f.diskLow}${then} New installers and labs are refused until then, and hosts that are off stay off.` });
  }
  const offBecause = (reason: string) => Object.entries(f.hosts)
    .filter(([, h]) => h.states.includes('poweredOff') && h.context.lastPowerOff === reason).map(([name]) => name);
  const restarted = offBecause('server-restarted');
  if (restarted.length > 0) {
    out.push({
      kind: 'server-restarted', severity: 'info', hosts: restarted,
      message: `The lab server restarted, and ${list(restarted)} stopped with it. Disks keep what was written; power ${restarted.length === 1 ? 'it' : 'them'} on to go on where you were.`,
    });
  }
  const crashed = offBecause('crashed');
  if (crashed.length > 0) {
    out.push({
      kind: 'host-crashed', severity: 'info', hosts: crashed,
      message: `${list(crashed)} stopped on ${crashed.length === 1 ? 'its' : 'their'} own (the virtual machine's process ended). Disks keep what was written; power ${crashed.length === 1 ? 'it' : 'them'} on to go on.`,
    });
  }
  return out;
}

function list(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
