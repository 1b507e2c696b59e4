// The lab a reader opened for a scenario, remembered across page loads so a reload resumes it.
// Kept in a Storage-like object (window.localStorage by default), one entry per scenario and
// simulator URL. A broken or foreign entry reads as "nothing remembered", never as an error.
import { z } from 'zod';
import { labIdSchema, labRoleSchema } from '../../../simulator/pure/protocol';

/** The part of the Web Storage API this client uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const rememberedLabSchema = z.object({
  labId: labIdSchema,
  /** null: the lab server holds it in an HttpOnly cookie this page cannot read (a room over HTTPS). */
  sessionSecret: z.string().min(1).nullable(),
  role: labRoleSchema,
  scenario: z.string().min(1),
  /** The last lab token and its expiry, so a reload within the hour needs no trade. */
  token: z.string().min(1).optional(),
  expiresAt: z.number().optional(),
});
export type RememberedLab = z.infer<typeof rememberedLabSchema>;

export function rememberedLabKey(simulatorUrl: string, scenario: string): string {
  return `edge-lab:lab:${simulatorUrl}:${scenario}`;
}

/** window.localStorage when there is one and it works (private modes may throw), else null. */
export function defaultStorage(): StorageLike | null {
  try {
    return typeof window !== 'undefined' && window.localStorage ? window.localStorage : null;
  } catch {
    return null;
  }
}

export function readRememberedLab(storage: StorageLike | null, simulatorUrl: string, scenario: string): RememberedLab | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(rememberedLabKey(simulatorUrl, scenario));
    if (raw === null) return null;
    const parsed = rememberedLabSchema.safeParse(JSON.parse(raw));
    return parsed.success && parsed.data.scenario === scenario ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Best effort: a full or disabled storage only means the next reload opens a new lab. */
export function writeRememberedLab(storage: StorageLike | null, simulatorUrl: string, lab: RememberedLab): void {
  try {
    storage?.setItem(rememberedLabKey(simulatorUrl, lab.scenario), JSON.stringify(lab));
  } catch {
    /* nothing to do: see above */
  }
}

export function forgetRememberedLab(storage: StorageLike | null, simulatorUrl: string, scenario: string): void {
  try {
    storage?.removeItem(rememberedLabKey(simulatorUrl, scenario));
  } catch {
    /* nothing to do */
  }
}

/** Storage key of the lab this browser got by joining a class (its labId), per lab server. */
export function joinedClassKey(simulatorUrl: string, classId: string): string {
  return `edge-lab:class-learner:${simulatorUrl}:${classId}`;
}

/** The id of the lab this browser got from joining the class, or null. */
export function readJoinedClassLab(storage: StorageLike | null, simulatorUrl: string, classId: string): string | null {
  try {
    return storage?.getItem(joinedClassKey(simulatorUrl, classId)) ?? null;
  } catch {
    return null;
  }
}

/** Best effort: a full or disabled storage only means a reload joins the class again. */
export function writeJoinedClassLab(storage: StorageLike | null, simulatorUrl: string, classId: string, labId: string): void {
  try {
    storage?.setItem(joinedClassKey(simulatorUrl, classId), labId);
  } catch {
    /* nothing to do: see above */
  }
}
