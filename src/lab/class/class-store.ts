// The classes this browser opened (or got a trainer link for), kept in localStorage under
// `edge-lab:class:<classId>` so the dashboard works again after a reload. A broken entry reads as
// nothing kept; storage failures are swallowed (the trainer link still works).
import type { StorageLike } from '../client/remembered-lab';

export const CLASS_KEY_PREFIX = 'edge-lab:class:';

export interface KeptClass {
  classId: string;
  trainerSecret: string;
  /** Null when the class came from a trainer link without one. */
  joinCode: string | null;
  name?: string;
  scenario?: string;
}

/** A storage whose keys can be listed (window.localStorage is one). */
export interface ListableStorage extends StorageLike {
  readonly length: number;
  key(index: number): string | null;
}

export function classKey(classId: string): string {
  return `${CLASS_KEY_PREFIX}${classId}`;
}

export function readKeptClass(storage: StorageLike | null, classId: string): KeptClass | null {
  try {
    const raw = storage?.getItem(classKey(classId));
    return raw ? parseKept(JSON.parse(raw), classId) : null;
  } catch {
    return null;
  }
}

/** Keeps `kept`; a known join code or name is not overwritten by a missing one. */
export function keepClass(storage: StorageLike | null, kept: KeptClass): KeptClass {
  const before = readKeptClass(storage, kept.classId);
  const merged: KeptClass = {
    ...before,
    ...kept,
    joinCode: kept.joinCode ?? before?.joinCode ?? null,
    ...(kept.name ?? before?.name ? { name: kept.name ?? before?.name } : {}),
    ...(kept.scenario ?? before?.scenario ? { scenario: kept.scenario ?? before?.scenario } : {}),
  };
  try {
    storage?.setItem(classKey(kept.classId), JSON.stringify(merged));
  } catch {
    /* see the header */
  }
  return merged;
}

export function forgetClass(storage: StorageLike | null, classId: string): void {
  try {
    storage?.removeItem(classKey(classId));
  } catch {
    /* see the header */
  }
}

/** Every class kept in `storage`, by class id. */
export function listKeptClasses(storage: ListableStorage | null): KeptClass[] {
  const out: KeptClass[] = [];
  try {
    for (let i = 0; storage && i < storage.length; i++) {
      const key = storage.key(i);
      if (!key?.startsWith(CLASS_KEY_PREFIX)) continue;
      const kept = readKeptClass(storage, key.slice(CLASS_KEY_PREFIX.length));
      if (kept) out.push(kept);
    }
  } catch {
    /* see the header */
  }
  return out.sort((a, b) => a.classId.localeCompare(b.classId));
}

function parseKept(v: unknown, classId: string): KeptClass | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (o.classId !== classId || typeof o.trainerSecret !== 'string' || o.trainerSecret === '') return null;
  return {
    classId,
    trainerSecret: o.trainerSecret,
    joinCode: typeof o.joinCode === 'string' && o.joinCode !== '' ? o.joinCode : null,
    ...(typeof o.name === 'string' ? { name: o.name } : {}),
    ...(typeof o.scenario === 'string' ? { scenario: o.scenario } : {}),
  };
}
