import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * What the benchmarks read from /proc about one process. The parsers are pure
 * (and unit-tested); the readers are thin.
 */

/** utime + stime in clock ticks from the text of /proc/<pid>/stat (the whole process, all threads). */
export function parseStatCpuTicks(stat: string): number {
  // comm (field 2) is in parentheses and may hold spaces or ')': split after the last ')'.
  const close = stat.lastIndexOf(')');
  if (close < 0) throw new Error(`[bench] not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  const rest = stat.slice(close + 1).trim().split(/\s+/);
  // rest[0] is field 3 (state), so field 14 (utime) is rest[11] and field 15 (stime) rest[12].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`[bench] no utime/stime in /proc/<pid>/stat: ${stat.slice(0, 120)}`);
  return utime + stime;
}

/** A `Key:   1234 kB` field of /proc/<pid>/status or smaps_rollup, in kB. */
export function parseKbField(text: string, key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+)\\s*kB\\s*$`, 'm').exec(text);
  if (!m) throw new Error(`[bench] no ${key} field in the /proc text`);
  return Number(m[1]);
}

export const kbToMb = (kb: number): number => kb / 1024;

/** Resident set size in MB (MiB) from /proc/<pid>/status VmRSS. */
export async function readRssMb(pid: number): Promise<number> {
  return kbToMb(parseKbField(await readFile(`/proc/${pid}/status`, 'utf8'), 'VmRSS'));
}

/** Same, synchronously: for reading at the instant a console line arrives. */
export function readRssMbSync(pid: number): number {
  return kbToMb(parseKbField(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS'));
}

/** Proportional set size in MB (MiB) from /proc/<pid>/smaps_rollup (shared pages split among sharers). */
export async function readPssMb(pid: number): Promise<number> {
  return kbToMb(parseKbField(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss'));
}

export async function readCpuTicks(pid: number): Promise<number> {
  return parseStatCpuTicks(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

export async function readComm(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8')).trim();
}

/** Clock ticks per second (USER_HZ); 100 on every mainstream Linux build if getconf is missing. */
export async function clockTicksPerSecond(): Promise<number> {
  try {
    const { stdout } = await promisify(execFile)('getconf', ['CLK_TCK']);
    const n = Number(stdout.trim());
    return Number.isFinite(n) && n > 0 ? n : 100;
  } catch {
    return 100;
  }
}

/** CPU use over a window as a percentage of one core. */
export function cpuPercentOfOneCore(ticks: number, ticksPerSecond: number, wallSeconds: number): number {
  if (!(wallSeconds > 0)) throw new RangeError('[bench] the CPU window must be longer than zero');
  return (ticks / ticksPerSecond / wallSeconds) * 100;
}
