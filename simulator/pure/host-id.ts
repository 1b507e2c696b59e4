// Edge host ID derivation, mirroring the Palette Edge agent (reference §4 "Host ID rules").
//
// Priority: `name` (used as is) > `<prefix>-<device UID>` > `<prefix>-<random()>`.
// - The device UID is lowercased with dashes and all whitespace removed; it counts only when the
//   result is non-empty. The guest agent implements the same rule in shell:
//   `edge-$(cat product_uuid | tr -d '-' | tr A-Z a-z)`.
// - `prefix` defaults to `edge` (an empty prefix counts as unset).
// - The result is cut to HOST_ID_MAX_LENGTH characters.
// Pure: no I/O; randomness is injected through `random`.

export const HOST_ID_MAX_LENGTH = 128;
export const DEFAULT_HOST_ID_PREFIX = 'edge';

/** Characters the docs forbid in a host ID. Whitespace is rejected separately. */
export const FORBIDDEN_HOST_ID_CHARS: readonly string[] = [
  '/', '?', '#', '&', '+', '%', ',', '$', '~', '!', '@', '*', '(', ')',
  '{', '}', '|', '=', ';', ':', '<', '>', "'", '.', '^', '"',
];

const FORBIDDEN = new Set(FORBIDDEN_HOST_ID_CHARS);

/** The first forbidden character or whitespace character in `s`, or undefined when `s` is clean. */
export function findForbiddenHostIdChar(s: string): string | undefined {
  for (const ch of s) {
    if (FORBIDDEN.has(ch) || /\s/.test(ch)) return ch;
  }
  return undefined;
}

export type HostIdSource = 'name' | 'device-uid' | 'random';

export interface HostIdInput {
  name?: string;
  prefix?: string;
  deviceUid?: string | null;
  random: () => string;
}

/** Normalises a raw device UID the way the agent does: drop dashes and whitespace, lowercase. */
export function normaliseDeviceUid(raw: string): string {
  return raw.replace(/[-\s]/g, '').toLowerCase();
}

export function deriveHostId(input: HostIdInput): { id: string; source: HostIdSource } {
  const cap = (id: string): string => id.slice(0, HOST_ID_MAX_LENGTH);
  if (input.name) return { id: cap(input.name), source: 'name' };
  const prefix = input.prefix || DEFAULT_HOST_ID_PREFIX;
  const uid = input.deviceUid ? normaliseDeviceUid(input.deviceUid) : '';
  if (uid) return { id: cap(`${prefix}-${uid}`), source: 'device-uid' };
  return { id: cap(`${prefix}-${input.random()}`), source: 'random' };
}
