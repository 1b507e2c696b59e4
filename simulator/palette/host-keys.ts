// Host keys: the credential Palette gives an edge host each time it answers its registration
// with `registered` (simulator/palette-api.md, "Host key"). The agent keeps it in COS_OEM and
// sends it as `Authorization: Bearer <key>` on every later call; heartbeats, provisioning reports
// and registry blobs need it. Only the key's sha256 is stored in the host's record, so the store
// (and a checkpoint of it) never holds a usable key: the one usable copy is on the host's disk.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits as 43 characters of base64url: unguessable, and plain text in a header and in shell. */
export const newHostKey = (): string => randomBytes(32).toString('base64url');

/** What the host's record keeps: the key's sha256, lowercase hex. */
export const hashHostKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** True when `presented` is the key whose hash is `stored`. A record without a key matches nothing. */
export function hostKeyMatches(stored: string | null, presented: string | undefined): boolean {
  if (stored === null || presented === undefined || presented === '') return false;
  const a = Buffer.from(hashHostKey(presented), 'hex');
  const b = Buffer.from(stored, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The key of an `Authorization: Bearer <key>` header; '' when there is none or it is not that form. */
export function bearerKey(header: string | undefined): string {
  const m = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(header?.trim() ?? '');
  return m?.[1] ?? '';
}
