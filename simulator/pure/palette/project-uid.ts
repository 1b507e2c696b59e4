// A project's UID: what `stylus.site.projectUid` names. Palette issues opaque 24-hex-digit UIDs;
// the lab's Palette derives them from the project's name (FNV-1a, three 32-bit rounds), so a
// project keeps its UID across restarts, checkpoints and labs without a stored field.
// Names are unique regardless of case, and so is the UID: it is taken of the lower-cased name.

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(text: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME) >>> 0;
  }
  return h >>> 0;
}

export function projectUid(name: string): string {
  const key = name.toLowerCase();
  return [0x5e, 0xc7, 0xed].map((seed) => fnv1a(key, seed).toString(16).padStart(8, '0')).join('');
}

export const PROJECT_UID_PATTERN = /^[0-9a-f]{24}$/;
