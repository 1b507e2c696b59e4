/**
 * Pure view logic of the simulated Palette console: how the Edge Hosts grid, the token list and
 * the cluster overview put values into words, relative times, and the sentences a refusal's
 * issues become. No React here, so every rule is unit-tested.
 */
import type { FieldIssue } from '../../client/lab-api';
import type { EdgeHostRow } from '../../../../simulator/pure/palette/views';

export const DASH = '—';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

function span(ms: number): string {
  if (ms < MINUTE) return `${Math.floor(ms / SECOND)} s`;
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return plural(Math.floor(ms / HOUR), 'hour');
  return plural(Math.floor(ms / DAY), 'day');
}

/** `12 s ago`, `3 min ago`, `in 29 days`, `just now`; `never` for null. */
export function relativeTime(at: number | null | undefined, now: number): string {
  if (at === null || at === undefined) return 'never';
  const d = now - at;
  if (Math.abs(d) < 2 * SECOND) return 'just now';
  return d > 0 ? `${span(d)} ago` : `in ${span(-d)}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `2025-03-14` in the reader's time zone. */
export function calendarDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** `2025-03-14 09:05:03` in the reader's time zone, for event logs. */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${calendarDate(ms)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `192 MiB`, `8 GiB`, `1.5 GiB`; a dash while the host has not reported. */
export function formatMemory(mb: number): string {
  if (!(mb > 0)) return DASH;
  if (mb < 1024) return `${mb} MiB`;
  const gib = mb / 1024;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`;
}

export function formatCpus(cpus: number): string {
  return cpus > 0 ? String(cpus) : DASH;
}

/** `region=east, site=lab`, sorted by key. */
export function formatTags(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  return keys.length === 0 ? DASH : keys.map((k) => `${k}=${tags[k]}`).join(', ');
}

export function registrationLabel(row: Pick<EdgeHostRow, 'registration' | 'method'>): string {
  switch (row.registration) {
    case 'added': return 'Added by ID, not seen yet';
    case 'pending': return 'Waiting for manual registration';
    case 'registered': return row.method === 'manual' ? 'Registered (manual)' : row.method === 'auto' ? 'Registered (auto)' : 'Registered';
  }
}

/**
 * The Edge Hosts grid's columns: Palette's, named and ordered as the product's grid (reference
 * §5), then two of the lab's own (`lab: true`), which the page marks as such.
 */
export const HOST_COLUMNS = [
  { key: 'hostId', label: 'Machine ID', lab: false },
  { key: 'status', label: 'Status', lab: false },
  { key: 'health', label: 'Health', lab: false },
  { key: 'tags', label: 'Tags', lab: false },
  { key: 'cluster', label: 'Cluster', lab: false },
  { key: 'cpu', label: 'CPU', lab: false },
  { key: 'memory', label: 'Memory', lab: false },
  { key: 'os', label: 'OS', lab: false },
  { key: 'ip', label: 'IP Address', lab: false },
  { key: 'mac', label: 'MAC Address', lab: false },
  { key: 'arch', label: 'Architecture', lab: false },
  { key: 'registration', label: 'Registration', lab: true },
  { key: 'heartbeat', label: 'Last heartbeat', lab: true },
] as const;
export type HostColumn = (typeof HOST_COLUMNS)[number]['key'];

/** The text of every grid cell of one host. */
export function hostCells(row: EdgeHostRow, now: number): Record<HostColumn, string> {
  return {
    hostId: row.hostId,
    status: row.status,
    health: row.health ?? DASH,
    registration: registrationLabel(row),
    cluster: row.cluster ?? DASH,
    cpu: formatCpus(row.cpus),
    memory: formatMemory(row.memoryMb),
    os: row.os || DASH,
    ip: row.ip || DASH,
    mac: row.mac || DASH,
    arch: row.arch ? row.arch.toUpperCase() : DASH,
    tags: formatTags(row.tags),
    heartbeat: row.registration === 'registered' ? relativeTime(row.lastHeartbeatAt, now) : DASH,
  };
}

/** Infima badge colour of a status or health word. */
export function badgeClass(value: string | null | undefined): string {
  switch (value) {
    case 'Ready': case 'Healthy': case 'Running': return 'badge badge--success';
    case 'In-Use': return 'badge badge--primary';
    case 'Provisioning': case 'Deleting': return 'badge badge--warning';
    case 'Unhealthy': return 'badge badge--danger';
    default: return 'badge badge--secondary';
  }
}

/**
 * The IDs typed into "Edge host IDs": separated by commas, spaces or line breaks, each once, in
 * the order typed.
 */
export function parseHostIds(text: string): string[] {
  return Array.from(new Set(text.split(/[\s,]+/).filter((s) => s !== '')));
}

/** `YYYY-MM-DD` of the day `days` after `now` (UTC): the expiry date field's default. */
export function dateInDays(days: number, now: number): string {
  return new Date(now + days * DAY).toISOString().slice(0, 10);
}

/**
 * The token's expiry from the form's date (`YYYY-MM-DD`, as a date input gives it): the end of
 * that day, UTC. Empty is the default (30 days); a date in the past makes a token that has
 * expired already, which is allowed (to try the refusal).
 */
export function expiryFromDate(text: string): { expiresAt?: number } | { error: string } {
  const t = text.trim();
  if (t === '') return {};
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999) : Number.NaN;
  if (!m || Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== t) {
    return { error: `“${t}” is not a date. Pick one with the date picker, or type it as YYYY-MM-DD (e.g. 2027-01-31).` };
  }
  return { expiresAt: at };
}

/** Capitalises a first word of plain lowercase letters only: never a name such as `edge-x`. */
const capital = (s: string): string => (/^[a-z]+(\s|$)/.test(s) ? s[0]!.toUpperCase() + s.slice(1) : s);
const sentence = (s: string): string => {
  const t = capital(s.trim());
  return t === '' || /[.!?…]$/.test(t) ? t : `${t}.`;
};

/** What is wrong, then what to do: `The host ID is empty. Paste the ID …`. */
export function issueText(issue: Pick<FieldIssue, 'message' | 'hint'>, prefix?: string): string {
  const text = [sentence(issue.message), issue.hint ? sentence(issue.hint) : ''].filter((s) => s !== '').join(' ');
  return prefix ? `${prefix}: ${text}` : text;
}

/** Splits `a \`b\` c` into text and code parts, so a view can render `b` as code. */
export function codeSegments(text: string): { code: boolean; text: string }[] {
  const parts = text.split('`');
  // An odd number of backticks leaves the last one literal.
  if (parts.length % 2 === 0) parts[parts.length - 2] += `\`${parts.pop()!}`;
  return parts.map((t, i) => ({ code: i % 2 === 1, text: t })).filter((s) => s.text !== '');
}

export const isError = (i: Pick<FieldIssue, 'severity'>): boolean => i.severity !== 'warning';

/** Exactly at `path` (not below it). */
export function issuesExactly(issues: readonly FieldIssue[], path: string): FieldIssue[] {
  return issues.filter((i) => i.path === path);
}

/** `1.10.0` after `1.9.0`; non-numeric parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const d = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}
