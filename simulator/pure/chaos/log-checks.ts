/**
 * The checks a chaos run makes after each fault, on what it read from the lab: the log (GET
 * /labs/<id>/events), the events its page was sent, each host's console as the page saw it,
 * and Palette's records. Each returns what disagrees, in words, or null. Pure.
 */
import { ConsoleLineSplitter, parseConsoleLine } from '../console-events';
import { hostEventFromConsole } from '../machines/host.events';

/** A log entry as GET /events gives it: its seq and the entry's own fields. */
export interface LoggedEntry {
  seq: number;
  type: string;
  host?: string;
  event?: { type?: string; hostId?: string };
}

/** The log's seqs run 1, 2, 3, … with no gap and no repeat. */
export function seqProblem(log: readonly LoggedEntry[]): string | null {
  for (let i = 0; i < log.length; i++) {
    if (log[i]!.seq !== i + 1) return `the log's entry #${i + 1} has seq ${log[i]!.seq} (expected ${i + 1}): ${i > 0 && log[i]!.seq === log[i - 1]!.seq ? 'a repeated seq' : 'a gap'}`;
  }
  return null;
}

/** Every event a page was sent is the log's entry of that seq (none invented, none changed). */
export function deliveredProblem(delivered: readonly { seq: number; type: string }[], log: readonly LoggedEntry[]): string | null {
  const bySeq = new Map(log.map((e) => [e.seq, e.type]));
  for (const d of delivered) {
    const logged = bySeq.get(d.seq);
    if (logged === undefined) return `the page was sent seq ${d.seq} (${d.type}), which the log does not hold`;
    if (logged !== d.type) return `the page was sent seq ${d.seq} as ${d.type}, but the log holds ${logged} there`;
  }
  return null;
}

/** The chart events a host's console shows, in order (the lab's own console parsing, replayed). */
export function consoleChartEvents(transcript: string): string[] {
  const splitter = new ConsoleLineSplitter();
  const out: string[] = [];
  for (const line of splitter.push(`${transcript}\n`)) {
    const parsed = parseConsoleLine(line);
    const mapped = parsed ? hostEventFromConsole(parsed) : null;
    if (mapped) out.push(mapped.type);
  }
  return out;
}

/**
 * Each chart event the console of `vm` shows is in the log, in the same order (the log may hold
 * more: what a host printed just before a crash can reach the lab and not the page).
 */
export function consoleProblem(vm: string, transcript: string, log: readonly LoggedEntry[]): string | null {
  const shown = consoleChartEvents(transcript);
  const logged = log.filter((e) => e.type === 'host.console' && e.host === vm).map((e) => e.event?.type ?? '');
  let at = 0;
  for (let i = 0; i < shown.length; i++) {
    const found = logged.indexOf(shown[i]!, at);
    if (found < 0) return `${vm}'s console shows ${shown[i]} (its chart event #${i + 1} of ${shown.length}), but the log does not hold it after the ones before`;
    at = found + 1;
  }
  return null;
}

/** Palette's edge host rows, as GET /palette/v1/edgehosts gives them. */
export interface PaletteHostRow { hostId: string; registration: string }

/**
 * Palette counts a host as registered exactly when the lab does (its chart's registered hosts,
 * built from the log): the simulated Palette and the lab applying the log agree. Only the
 * scenario's hosts are compared. (Not the console: a VM killed between Palette's answer and
 * its console line legitimately never prints it; the console check covers what it did print.)
 */
export function registrationProblem(hosts: readonly { vm: string; hostId: string }[], registeredVms: readonly string[], palette: readonly PaletteHostRow[]): string | null {
  for (const { vm, hostId } of hosts) {
    const row = palette.find((h) => h.hostId === hostId);
    const paletteSays = row?.registration === 'registered';
    const labSays = registeredVms.includes(vm);
    if (paletteSays && !labSays) return `Palette has ${hostId} registered, but the lab does not count ${vm} as registered`;
    if (!paletteSays && labSays) return `the lab counts ${vm} as registered, but Palette's record of ${hostId} says ${row ? row.registration : 'nothing'}`;
  }
  return null;
}

/** The VMs whose install finished since the lab last started afresh (a reset or a checkpoint put back). */
export function installedInLog(log: readonly LoggedEntry[]): string[] {
  let from = 0;
  log.forEach((e, i) => { if (e.type === 'lab.reset' || e.type === 'lab.checkpoint-restored') from = i + 1; });
  return [...new Set(log.slice(from).filter((e) => e.type === 'host.installed' && typeof e.host === 'string').map((e) => e.host!))];
}

/** An installed system takes tens of MiB on the disk; a blank disk image, a few hundred KiB. */
export const INSTALLED_DISK_MIN_BYTES = 8 * 1024 * 1024;

/** A host the log calls installed has a disk that holds an installed system's worth of data. */
export function diskProblem(installed: readonly string[], allocatedBytes: Readonly<Record<string, number | null>>): string | null {
  for (const vm of installed) {
    const bytes = allocatedBytes[vm];
    if (bytes === null || bytes === undefined) return `the log says ${vm} was installed, but it has no disk`;
    if (bytes < INSTALLED_DISK_MIN_BYTES) return `the log says ${vm} was installed, but its disk holds only ${Math.round(bytes / 1024)} KiB`;
  }
  return null;
}
