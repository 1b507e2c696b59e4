/**
 * Classes: a trainer's room of learners, each with a lab of their own.
 *
 * A class is kept in the store as a record beside the labs (id `class-…`, a
 * scenario named `class:<scenario>`; the lab manager never opens it as a lab).
 * Its documents: `class/record` (name, scenario, hashes of the trainer secret
 * and the join code, the warm pool's target) and one `class-lab/<labId>` per
 * lab (the learner's name, when they joined; `warm` while nobody has it yet).
 *
 * The warm pool: labs made and opened before learners arrive, so a learner's
 * lab is ready the moment their page opens. Warm labs never queue (they are
 * made only while there is room) and are never suspended while waiting.
 */
import { randomBytes } from 'node:crypto';
import { LabError } from '../labs/errors';
import { LabQueuedError, type LabManager, type LabPlace } from '../labs/lab-manager';
import { stepAt, type LabPhase } from '../pure/machines/lab.steps';
import { findScenario } from '../pure/scenarios';
import type { LabStore } from '../store/types';
import { createInvites, createOpenerSecret, listMembers, sameHex, sha256 } from '../server/lab-members';

export const CLASS_SCENARIO_PREFIX = 'class:';
const RECORD_KIND = 'class';
const RECORD_ID = 'record';
const MEMBER_KIND = 'class-lab';
/** A learner's name as shown on the dashboard. */
const MAX_LEARNER = 60;
export const MAX_WARM = 50;

export interface ClassRecord {
  name: string;
  scenario: string;
  trainerSha256: string;
  joinSha256: string;
  warmTarget: number;
  createdAt: number;
}

interface ClassLab { learner: string | null; joinedAt: number | null; warm: boolean; walkthrough?: boolean }

export interface LabSummary {
  labId: string;
  learner: string;
  role: string;
  place: LabPlace['state'];
  queuePosition: number | null;
  phase: LabPhase | 'done' | null;
  step: { path: string; label: string; role: string } | null;
  hosts: { name: string; label: string; power: 'on' | 'off' }[];
  lastActivityAt: number | null;
  lastFailedCheck: { message: string; at: number | null } | null;
  /** A shared lab of a role-based walkthrough: who joined it, with which role. */
  members?: { role: string; joinedAt: number }[];
}

export class ClassError extends Error {
  constructor(readonly code: 'not-found' | 'bad-secret' | 'bad-code' | 'bad-request', message: string, readonly field?: string) {
    super(`[class] ${message}`);
    this.name = 'ClassError';
  }
}

const secret = (): string => randomBytes(24).toString('base64url');

export class Classes {
  /** The last summary seen of each lab, for labs not open now (queued, suspended). */
  private readonly lastSeen = new Map<string, LabSummary>();
  private readonly filling = new Map<string, Promise<void>>();
  private readonly joining = new Map<string, Promise<unknown>>();

  constructor(private readonly d: {
    store: LabStore; labs: LabManager; now: () => number;
    /** Called when a class opens: e.g. make its scenario's checkpoints before the trainer needs them. */
    onOpened?: (scenario: string) => void;
    /** The scenario's checkpoints, for the dashboard. */
    checkpointStatus?: (scenario: string) => Promise<{ state: string; error: string | null }>;
  }) {}

  async create(input: { name?: unknown; scenario?: unknown; warm?: unknown }): Promise<{ classId: string; name: string; scenario: string; trainerSecret: string; joinCode: string }> {
    if (typeof input.scenario !== 'string') throw new ClassError('bad-request', 'scenario: name the scenario every learner gets, e.g. "single-node" (GET /scenarios lists them)', 'scenario');
    const found = findScenario(input.scenario);
    if (!found.ok) throw new ClassError('bad-request', `scenario: ${found.message.replace(/^\[scenario\] /, '')}`, 'scenario');
    const name = input.name === undefined ? 'Class' : input.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 80) throw new ClassError('bad-request', 'name: a class name of 1 to 80 characters', 'name');
    const warm = input.warm ?? 0;
    if (!Number.isInteger(warm) || (warm as number) < 0 || (warm as number) > MAX_WARM) throw new ClassError('bad-request', `warm: how many labs to start ahead, a whole number from 0 to ${MAX_WARM}`, 'warm');
    const trainerSecret = secret();
    const joinCode = secret().slice(0, 16);
    const classId = `class-${randomBytes(10).toString('hex')}`;
    await this.d.store.createLab({ id: classId, scenario: `${CLASS_SCENARIO_PREFIX}${found.scenario.name}`, role: 'trainer' });
    const rec: ClassRecord = { name: name.trim(), scenario: found.scenario.name, trainerSha256: sha256(trainerSecret), joinSha256: sha256(joinCode), warmTarget: warm as number, createdAt: this.d.now() };
    await this.d.store.put(classId, RECORD_KIND, RECORD_ID, rec);
    void this.fillWarm(classId);
    this.d.onOpened?.(rec.scenario);
    return { classId, name: rec.name, scenario: rec.scenario, trainerSecret, joinCode };
  }

  /** The class, when `given` is its trainer secret; ClassError otherwise. */
  async asTrainer(classId: string, given: string | undefined): Promise<ClassRecord> {
    const rec = await this.record(classId);
    if (!given || !sameHex(sha256(given), rec.trainerSha256)) throw new ClassError('bad-secret', 'this is not the trainer secret of that class; open the dashboard from the trainer link you were given when the class was opened');
    return rec;
  }

  /** A learner arrives: a warm lab if one is ready, else a new one (which may wait in the queue). */
  join(classId: string, input: { code?: unknown; learner?: unknown }): Promise<{ labId: string; sessionSecret: string; queued: number | null }> {
    // One at a time per class, so two learners never get the same warm lab.
    const run = (this.joining.get(classId) ?? Promise.resolve()).catch(() => {}).then(() => this.joinNow(classId, input));
    this.joining.set(classId, run);
    void run.finally(() => { if (this.joining.get(classId) === run) this.joining.delete(classId); }).catch(() => {});
    return run;
  }

  private async joinNow(classId: string, input: { code?: unknown; learner?: unknown }): Promise<{ labId: string; sessionSecret: string; queued: number | null }> {
    const rec = await this.record(classId);
    if (typeof input.code !== 'string' || !sameHex(sha256(input.code), rec.joinSha256)) throw new ClassError('bad-code', 'this join code does not open that class; use the link the trainer shared');
    const learner = typeof input.learner === 'string' && input.learner.trim() !== '' ? input.learner.trim().slice(0, MAX_LEARNER) : 'Learner';
    const joined = { learner, joinedAt: this.d.now(), warm: false };
    const warm = (await this.d.store.list<ClassLab>(classId, MEMBER_KIND)).find((m) => m.doc.warm);
    let labId: string;
    let queued: number | null = null;
    if (warm) {
      labId = warm.id;
      await this.d.store.put(classId, MEMBER_KIND, labId, joined);
      this.d.labs.unpin(labId);
    } else {
      labId = (await this.d.store.createLab({ scenario: rec.scenario, role: 'solo' })).id;
      await this.d.store.put(classId, MEMBER_KIND, labId, joined);
      queued = await this.openOrQueue(labId);
    }
    const sessionSecret = await createOpenerSecret(this.d.store, labId);
    void this.fillWarm(classId);
    return { labId, sessionSecret, queued };
  }

  /**
   * A shared lab for a role-based walkthrough, opened by the class's trainer: one invite per
   * lifecycle role; it is listed on the dashboard with who joined it.
   */
  async openWalkthrough(classId: string): Promise<{ labId: string; sessionSecret: string; invites: Record<string, string>; invitesExpireAt: number; queued: number | null }> {
    const rec = await this.record(classId);
    const labId = (await this.d.store.createLab({ scenario: rec.scenario, role: 'trainer' })).id;
    const n = (await this.d.store.list<ClassLab>(classId, MEMBER_KIND)).filter((m) => m.doc.walkthrough).length + 1;
    await this.d.store.put(classId, MEMBER_KIND, labId, { learner: `Walkthrough ${n}`, joinedAt: this.d.now(), warm: false, walkthrough: true });
    const queued = await this.openOrQueue(labId);
    const sessionSecret = await createOpenerSecret(this.d.store, labId);
    const { invites, expiresAt } = await createInvites(this.d.store, labId, this.d.now());
    return { labId, sessionSecret, invites, invitesExpireAt: expiresAt, queued };
  }

  /** Sets the warm pool's size and starts filling it; resolves with what is ready now. */
  async setWarm(classId: string, count: unknown): Promise<{ target: number; ready: number }> {
    if (!Number.isInteger(count) || (count as number) < 0 || (count as number) > MAX_WARM) throw new ClassError('bad-request', `count: how many labs to keep ready, a whole number from 0 to ${MAX_WARM}`, 'count');
    const rec = await this.record(classId);
    await this.d.store.put(classId, RECORD_KIND, RECORD_ID, { ...rec, warmTarget: count as number });
    await this.fillWarm(classId);
    return { target: count as number, ready: await this.warmReady(classId) };
  }

  /**
   * Makes warm labs up to the target while there is room; extra ones (target lowered) are deleted.
   * Calls run one after another, each reading the target anew.
   */
  fillWarm(classId: string): Promise<void> {
    const run = (this.filling.get(classId) ?? Promise.resolve()).then(() => this.fillOnce(classId));
    this.filling.set(classId, run);
    void run.finally(() => { if (this.filling.get(classId) === run) this.filling.delete(classId); }).catch(() => {});
    return run.catch(() => {});
  }

  private async fillOnce(classId: string): Promise<void> {
    const rec = await this.record(classId);
    const warm = (await this.d.store.list<ClassLab>(classId, MEMBER_KIND)).filter((m) => m.doc.warm);
    for (const extra of warm.slice(rec.warmTarget)) {
      await this.d.labs.delete(extra.id);
      await this.d.store.remove(classId, MEMBER_KIND, extra.id);
    }
    for (let n = warm.length; n < rec.warmTarget; n++) {
      const lab = await this.d.store.createLab({ scenario: rec.scenario, role: 'solo' });
      try {
        await this.d.labs.get(lab.id, { queue: false });
      } catch (err) {
        await this.d.labs.delete(lab.id);
        if (err instanceof LabQueuedError || err instanceof LabError) return; // no room now
        throw err;
      }
      this.d.labs.pin(lab.id);
      await this.d.store.put(classId, MEMBER_KIND, lab.id, { learner: null, joinedAt: null, warm: true });
    }
  }

  async labIds(classId: string, o: { warm?: boolean } = {}): Promise<string[]> {
    return (await this.d.store.list<ClassLab>(classId, MEMBER_KIND)).filter((m) => o.warm === undefined || m.doc.warm === o.warm).map((m) => m.id);
  }

  /** Whether the lab is a learner's lab of this class. */
  async has(classId: string, labId: string): Promise<boolean> {
    const m = await this.d.store.get<ClassLab>(classId, MEMBER_KIND, labId);
    return !!m && !m.doc.warm;
  }

  /** The dashboard's view of the class. */
  async dashboard(classId: string): Promise<{
    classId: string; name: string; scenario: string;
    capacity: { maxRunningHosts: number; runningHosts: number; queued: number };
    warm: { target: number; ready: number };
    checkpoints: { state: string; error: string | null };
    labs: LabSummary[];
  }> {
    const rec = await this.record(classId);
    const members = (await this.d.store.list<ClassLab>(classId, MEMBER_KIND)).filter((m) => !m.doc.warm);
    const labs: LabSummary[] = [];
    for (const m of members.sort((a, b) => (a.doc.joinedAt ?? 0) - (b.doc.joinedAt ?? 0))) {
      const summary = await this.summary(m.id, m.doc.learner ?? 'Learner');
      labs.push(m.doc.walkthrough ? { ...summary, members: (await listMembers(this.d.store, m.id)).map(({ role, joinedAt }) => ({ role, joinedAt })) } : summary);
    }
    return {
      classId, name: rec.name, scenario: rec.scenario,
      capacity: { maxRunningHosts: this.d.labs.places.limit, runningHosts: await this.d.labs.runningHosts(), queued: this.d.labs.places.queued },
      warm: { target: rec.warmTarget, ready: await this.warmReady(classId) },
      checkpoints: (await this.d.checkpointStatus?.(rec.scenario)) ?? { state: 'missing', error: null },
      labs,
    };
  }

  private async summary(labId: string, learner: string): Promise<LabSummary> {
    const place = await this.d.labs.placeOf(labId);
    const lab = await this.d.store.getLab(labId);
    const base = { labId, learner, role: lab?.role ?? 'solo', place: place.state, queuePosition: place.position, lastActivityAt: this.d.labs.lastUsedAt(labId) };
    const space = place.state === 'active' ? await this.d.labs.peek(labId) : undefined;
    if (!space) {
      const seen = this.lastSeen.get(labId);
      return seen ? { ...seen, ...base, lastActivityAt: base.lastActivityAt ?? seen.lastActivityAt } : { ...base, phase: null, step: null, hosts: [], lastFailedCheck: null };
    }
    const { view } = space.runtime.view();
    const step = view.data.step as { path?: string; label?: string; role?: string } | null | undefined;
    const phase = step?.path ? (stepAt(step.path)?.phase ?? null) : 'done';
    const failure = view.data.lastFailure as { message?: string } | null | undefined;
    const summary: LabSummary = {
      ...base,
      phase,
      step: step?.path ? { path: step.path, label: step.label ?? step.path, role: step.role ?? '' } : null,
      hosts: [...space.vms].map(([name, h]) => ({ name, label: view.hosts[name]?.label ?? '', power: h.power })),
      lastFailedCheck: failure?.message ? { message: failure.message, at: null } : null,
    };
    this.lastSeen.set(labId, summary);
    return summary;
  }

  /** Opens the lab now, or leaves it waiting for a place: its position in the queue, null when open. */
  private async openOrQueue(labId: string): Promise<number | null> {
    try {
      await this.d.labs.get(labId);
      return null;
    } catch (err) {
      if (err instanceof LabQueuedError) return err.position;
      throw err;
    }
  }

  private async warmReady(classId: string): Promise<number> {
    return (await this.labIds(classId, { warm: true })).length;
  }

  private async record(classId: string): Promise<ClassRecord> {
    if (!classId.startsWith('class-')) throw new ClassError('not-found', `no class ${classId}`);
    const rec = (await this.d.store.get<ClassRecord>(classId, RECORD_KIND, RECORD_ID).catch(() => undefined))?.doc;
    if (!rec) throw new ClassError('not-found', `there is no class ${classId} (it was closed, or the link is wrong); ask the trainer for the link`);
    return rec;
  }
}
