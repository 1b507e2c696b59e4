// A learner's way into a class: the join link `?class=<id>&code=<joinCode>[&name=<learner>]`.
// The tab's lab is then made with a fetch that turns the session's "open a lab" call
// (POST <server>/labs) into POST <server>/classes/<id>/join {code, learner}. The answer has the
// same shape, so the session remembers and resumes the class's lab like any lab it opened, and
// every failure (wrong code, class closed, server down) lands in the session's own states.
import type { LabOptions } from '../client/lab';
import type { FetchLike } from '../client/lab-http';
import { defaultStorage, forgetRememberedLab, readRememberedLab, type StorageLike } from '../client/remembered-lab';
import { DEFAULT_SIMULATOR_URL } from '../client/session';

export interface ClassJoin {
  classId: string;
  code: string;
  /** The name the trainer sees in the dashboard's table. */
  learner: string;
}

/** The learner's name when the link carries none. */
export const DEFAULT_LEARNER_NAME = 'Learner';
const MAX_LEARNER_CHARS = 40;
const CLASS_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The class join a page's address asks for, or null when it asks for none (or a malformed one). */
export function classJoinFromSearch(search: string): ClassJoin | null {
  const q = new URLSearchParams(search);
  const classId = q.get('class');
  const code = q.get('code');
  if (!classId || !CLASS_ID.test(classId) || !code) return null;
  const learner = (q.get('name') ?? '').trim().slice(0, MAX_LEARNER_CHARS) || DEFAULT_LEARNER_NAME;
  return { classId, code, learner };
}

/** Storage key of the lab this browser got from joining the class (its labId), per lab server. */
export function joinedClassKey(simulatorUrl: string, classId: string): string {
  return `edge-lab:class-learner:${simulatorUrl}:${classId}`;
}

/**
 * The options of the tab's lab when the address carries a class join. A lab already remembered
 * for this class is resumed; any other remembered lab of the scenario is forgotten, so the session
 * opens, that is joins, the class's lab.
 */
export function classLabOptions(options: LabOptions, join: ClassJoin): LabOptions {
  const serverUrl = (options.simulatorUrl ?? DEFAULT_SIMULATOR_URL).replace(/\/+$/, '');
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  const joined = read(storage, joinedClassKey(serverUrl, join.classId));
  const remembered = readRememberedLab(storage, serverUrl, options.scenario);
  if (remembered && remembered.labId !== joined) forgetRememberedLab(storage, serverUrl, options.scenario);
  const base: FetchLike = (input, init) => (options.fetch ?? globalThis.fetch.bind(globalThis))(input, init);
  return {
    ...options,
    fetch: classJoinFetch(base, serverUrl, join, (labId) => write(storage, joinedClassKey(serverUrl, join.classId), labId)),
  };
}

/** `base`, except that POST <serverUrl>/labs joins the class instead; `onJoined` gets the new lab's id. */
export function classJoinFetch(base: FetchLike, serverUrl: string, join: ClassJoin, onJoined: (labId: string) => void): FetchLike {
  return async (input, init) => {
    if ((init?.method ?? 'GET').toUpperCase() !== 'POST' || input.replace(/\/+$/, '') !== `${serverUrl}/labs`) return base(input, init);
    const res = await base(`${serverUrl}/classes/${encodeURIComponent(join.classId)}/join`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: join.code, learner: join.learner }),
    });
    if (res.ok) {
      const labId = ((await res.clone().json().catch(() => ({}))) as { labId?: unknown }).labId;
      if (typeof labId === 'string') onJoined(labId);
    }
    return res;
  };
}

function read(storage: StorageLike | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(storage: StorageLike | null, key: string, value: string): void {
  try {
    storage?.setItem(key, value);
  } catch {
    // A full or disabled storage only means a reload joins the class again.
  }
}
