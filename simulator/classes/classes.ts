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
 *
 * Bounds (opening a class needs the operator's credential, class-routes.ts;
 * joining needs only the class's code, so what a join can take is bounded too):
 * - warm labs of all classes together hold at most the machine's warm budget
 *   (LabPlaces.aheadLimit, fewer places than the machine has), so a learner who
 *   comes on their own always finds room; a warm count beyond it is refused;
 * - at most `maxClasses` classes are open at once (one operator per server);
 * - a class takes at most its `learners` (set when it opens, default 200).
 * A class nobody used for the labs' expiry time and whose learners' labs have
 * all expired is closed by the reaper (reapIdle), its warm labs deleted.
 */
import { jumpPhaseSchema, type ClassInfo, type JumpPhase, type LabSummary } from '../pure/protocol/http-answers';
import { randomBytes } from 'node:crypto';
import type { LabSlot, RouteTable } from '../slots/lab-slot';
import { stepAt } from '../pure/machines/lab.steps';
import { findScenario, type Scenario } from '../pure/scenarios';
import type { LabStore } from '../store/types';
import { createInvites, createOpenerSecret, listMembers, sameHex, sha256 } from '../labs/lab-members';

export const CLASS_SCENARIO_PREFIX = 'class:';
const RECORD_KIND = 'class';
const RECORD_ID = 'record';
/** `class/touched`: {at}, the last join, warm change or walkthrough (apart from the record, so it never races its writes). */
const TOUCHED_ID = 'touched';
const MEMBER_KIND = 'class-lab';
/** A learner's name as shown on the dashboard. */
const MAX_LEARNER = 60;
export const MAX_WARM = 50;
/** Open classes per lab server (its one operator). */
export const DEFAULT_MAX_CLASSES = 20;
/** Learners a class takes unless its opener says otherwise, and the most one may ask for. */
export const DEFAULT_LEARNERS = 200;
export const MAX_LEARNERS = 1000;

export interface ClassRecord {
  name: string;
  scenario: string;
  trainerSha256: string;
  joinSha256: string;
  warmTarget: number;
  createdAt: number;
  /** How many learners may join; records from before the bound take DEFAULT_LEARNERS. */
  maxLearners?: number;
  /** Where every lab of the class starts: the start of this phase, from the scenario's checkpoints. Absent: a fresh lab. */
  startPhase?: JumpPhase;
}

interface ClassLab { learner: string | null; joinedAt: number | null; warm: boolean; walkthrough?: boolean }

export type { LabSummary };

export class ClassError extends Error {
  constructor(
    readonly code: 'not-found' | 'bad-secret' | 'bad-code' | 'bad-request' | 'no-operator' | 'bad-operator' | 'over-budget' | 'too-many-classes' | 'class-full',
    message: string,
    readonly field?: string,
  ) {
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
  /** When each class's dashboard was last read (not written to the store: it is polled). */
  private readonly looked = new Map<string, number>();
  /** Opening classes and changing warm counts one at a time, so two cannot both fit the last of a budget. */
  private budgetLock: Promise<unknown> = Promise.resolve();

  constructor(private readonly d: {
    /** Where the class's labs run (slots/lab-slot.ts): opened, warmed, claimed, put at a phase, read for the dashboard, deleted. */
    store: LabStore; slots: RouteTable; now: () => number;
    /** Default DEFAULT_MAX_CLASSES. */
    maxClasses?: number;
    /** Called when a class opens: e.g. make its scenario's checkpoints before the trainer needs them. */
    onOpened?: (scenario: string) => void;
    /** The scenario's checkpoints, for the dashboard. */
    checkpointStatus?: (scenario: string) => Promise<ClassInfo['checkpoints']>;
    /** Classes may start at a later phase (the slot's restore from the scenario's checkpoints); default true. */
    startPhases?: boolean;
  }) {}

  create(input: { name?: unknown; scenario?: unknown; warm?: unknown; learners?: unknown; startPhase?: unknown }): Promise<{ classId: string; name: string; scenario: string; trainerSecret: string; joinCode: string; learners: number }> {
    return this.underBudgetLock(() => this.createNow(input));
  }

  private async createNow(input: { name?: unknown; scenario?: unknown; warm?: unknown; learners?: unknown; startPhase?: unknown }): Promise<{ classId: string; name: string; scenario: string; trainerSecret: string; joinCode: string; learners: number }> {
    if (typeof input.scenario !== 'string') throw new ClassError('bad-request', 'scenario: name the scenario every learner gets, e.g. "single-node" (GET /scenarios lists them)', 'scenario');
    const found = findScenario(input.scenario);
    if (!found.ok) throw new ClassError('bad-request', `scenario: ${found.message.replace(/^\[scenario\] /, '')}`, 'scenario');
    const name = input.name === undefined ? 'Class' : input.name;
    if (typeof name !== 'string' || name.trim() === '' || name.length > 80) throw new ClassError('bad-request', 'name: a class name of 1 to 80 characters', 'name');
    const warm = input.warm ?? 0;
    if (!Number.isInteger(warm) || (warm as number) < 0 || (warm as number) > MAX_WARM) throw new ClassError('bad-request', `warm: how many labs to start ahead, a whole number from 0 to ${MAX_WARM}`, 'warm');
    const learners = input.learners ?? DEFAULT_LEARNERS;
    if (!Number.isInteger(learners) || (learners as number) < 1 || (learners as number) > MAX_LEARNERS) {
      throw new ClassError('bad-request', `learners: how many learners may join, a whole number from 1 to ${MAX_LEARNERS} (default ${DEFAULT_LEARNERS})`, 'learners');
    }
    const start = input.startPhase === undefined ? undefined : jumpPhaseSchema.safeParse(input.startPhase);
    if (start && !start.success) throw new ClassError('bad-request', `startPhase: where every lab starts, one of ${jumpPhaseSchema.options.join(', ')} (leave it out for a fresh lab)`, 'startPhase');
    if (start?.success && start.data !== 'modelProfile' && this.d.startPhases === false) throw new ClassError('bad-request', 'startPhase: this lab server makes no checkpoints, so its classes start with a fresh lab', 'startPhase');
    const open = await this.classIds();
    const maxClasses = this.d.maxClasses ?? DEFAULT_MAX_CLASSES;
    if (open.length >= maxClasses) {
      throw new ClassError('too-many-classes', `this lab server already has ${open.length} open classes, the most it keeps at once (${maxClasses}); close one you no longer need (the "Close this class" button on its dashboard), or wait: a class nobody used for the labs' expiry time closes by itself`);
    }
    await this.checkWarmBudget(null, found.scenario, warm as number, 'warm');
    const trainerSecret = secret();
    const joinCode = secret().slice(0, 16);
    const classId = `class-${randomBytes(10).toString('hex')}`;
    await this.d.store.createLab({ id: classId, scenario: `${CLASS_SCENARIO_PREFIX}${found.scenario.name}`, role: 'trainer' });
    const rec: ClassRecord = {
      name: name.trim(), scenario: found.scenario.name, trainerSha256: sha256(trainerSecret), joinSha256: sha256(joinCode),
      warmTarget: warm as number, createdAt: this.d.now(), maxLearners: learners as number,
      ...(start?.success && start.data !== 'modelProfile' ? { startPhase: start.data } : {}),
    };
    await this.d.store.put(classId, RECORD_KIND, RECORD_ID, rec);
    void this.fillWarm(classId);
    this.d.onOpened?.(rec.scenario);
    return { classId, name: rec.name, scenario: rec.scenario, trainerSecret, joinCode, learners: learners as number };
  }

  /** The ids of the open classes. */
  private async classIds(): Promise<string[]> {
    return (await this.d.store.listLabs()).filter((l) => l.scenario.startsWith(CLASS_SCENARIO_PREFIX)).map((l) => l.id);
  }

  private underBudgetLock<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.budgetLock.catch(() => {}).then(fn);
    this.budgetLock = run.catch(() => {});
    return run;
  }

  /**
   * Refuses `count` warm labs of `scenario` for a class (null: one being opened) when, with the
   * other classes' warm targets, they would need more places than the warm budget.
   */
  private async checkWarmBudget(classId: string | null, scenario: Scenario, count: number, field: string): Promise<void> {
    const health = await (await this.d.slots.slotForNew()).health();
    const budget = health.warmBudget;
    const per = scenario.hosts.length;
    let others = 0;
    for (const id of await this.classIds()) {
      if (id === classId) continue;
      const rec = (await this.d.store.get<ClassRecord>(id, RECORD_KIND, RECORD_ID).catch(() => undefined))?.doc;
      const found = rec ? findScenario(rec.scenario) : undefined;
      if (rec && found?.ok) others += rec.warmTarget * found.scenario.hosts.length;
    }
    if (count * per <= budget - others) return;
    const most = Math.max(0, Math.floor((budget - others) / per));
    throw new ClassError('over-budget',
      `${field}: ${count} warm labs of ${scenario.name} would hold ${count * per} host places, but warm labs of all classes may hold at most ${budget} of this machine's ${health.maxRunningHosts} ` +
      `(the operator's warm budget; the rest stays for learners who come on their own)${others > 0 ? `, and other classes' warm labs already count ${others}` : ''}; ` +
      `ask for at most ${most}, or have the operator raise the budget (npm start -- --max-warm N)`, field);
  }

  /** The class, when `given` is its trainer secret; ClassError otherwise. */
  async asTrainer(classId: string, given: string | undefined): Promise<ClassRecord> {
    const rec = await this.record(classId);
    if (!given || !sameHex(sha256(given), rec.trainerSha256)) throw new ClassError('bad-secret', 'this is not the trainer secret of that class; open the dashboard from the trainer link you were given when the class was opened');
    return rec;
  }

  /** A learner arrives: a warm lab if one is ready, else a new one (which may wait in the queue). */
  join(classId: string, input: { code?: unknown; learner?: unknown }): Promise<{ labId: string; sessionSecret: string; queued: number | null; warm: boolean }> {
    // One at a time per class, so two learners never get the same warm lab.
    const run = (this.joining.get(classId) ?? Promise.resolve()).catch(() => {}).then(() => this.joinNow(classId, input));
    this.joining.set(classId, run);
    void run.finally(() => { if (this.joining.get(classId) === run) this.joining.delete(classId); }).catch(() => {});
    return run;
  }

  private async joinNow(classId: string, input: { code?: unknown; learner?: unknown }): Promise<{ labId: string; sessionSecret: string; queued: number | null; warm: boolean }> {
    const rec = await this.record(classId);
    if (typeof input.code !== 'string' || !sameHex(sha256(input.code), rec.joinSha256)) throw new ClassError('bad-code', 'this join code does not open that class; use the link the trainer shared');
    const learner = typeof input.learner === 'string' && input.learner.trim() !== '' ? input.learner.trim().slice(0, MAX_LEARNER) : 'Learner';
    const joined = { learner, joinedAt: this.d.now(), warm: false };
    const members = await this.d.store.list<ClassLab>(classId, MEMBER_KIND);
    const maxLearners = rec.maxLearners ?? DEFAULT_LEARNERS;
    const taken = members.filter((m) => !m.doc.warm && !m.doc.walkthrough).length;
    if (taken >= maxLearners) {
      throw new ClassError('class-full', `this class is full: ${taken} learners joined, the most its trainer set when opening it (${maxLearners}); ask the trainer for another class`);
    }
    await this.touch(classId);
    const warm = members.find((m) => m.doc.warm);
    let labId: string;
    let queued: number | null = null;
    if (warm) {
      labId = warm.id;
      await this.d.store.put(classId, MEMBER_KIND, labId, joined);
      await (await this.slotOf(labId)).claim(labId);
    } else {
      labId = (await this.d.store.createLab({ scenario: rec.scenario, role: 'solo' })).id;
      await this.d.store.put(classId, MEMBER_KIND, labId, joined);
      queued = await this.openOrQueue(labId);
      // Made now, so put where the class starts before the learner sees it (a queued lab starts fresh).
      if (queued === null && rec.startPhase && this.d.startPhases !== false) {
        await (await this.slotOf(labId)).restore(labId, rec.startPhase).catch((err: unknown) => process.stderr.write(`[class] lab ${labId} of class ${classId} stays at the start: putting it at ${rec.startPhase} failed: ${(err as Error).message}\n`));
      }
    }
    const sessionSecret = await createOpenerSecret(this.d.store, labId);
    void this.fillWarm(classId);
    return { labId, sessionSecret, queued, warm: warm !== undefined };
  }

  /**
   * A shared lab for a role-based walkthrough, opened by the class's trainer: one invite per
   * lifecycle role; it is listed on the dashboard with who joined it.
   */
  async openWalkthrough(classId: string): Promise<{ labId: string; sessionSecret: string; invites: Record<string, string>; invitesExpireAt: number; queued: number | null }> {
    const rec = await this.record(classId);
    await this.touch(classId);
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
    await this.underBudgetLock(async () => {
      const rec = await this.record(classId);
      const found = findScenario(rec.scenario);
      if (found.ok) await this.checkWarmBudget(classId, found.scenario, count as number, 'count');
      await this.d.store.put(classId, RECORD_KIND, RECORD_ID, { ...rec, warmTarget: count as number });
    });
    await this.touch(classId);
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
      await (await this.slotOf(extra.id)).release(extra.id);
      await this.d.store.remove(classId, MEMBER_KIND, extra.id);
    }
    for (let n = warm.length; n < rec.warmTarget; n++) {
      const lab = await this.d.store.createLab({ scenario: rec.scenario, role: 'solo' });
      const slot = await this.d.slots.slotForNew();
      let warmed = false;
      try {
        warmed = await slot.warm(lab.id);
      } finally {
        if (!warmed) await slot.release(lab.id);
      }
      if (!warmed) return; // no room now
      if (rec.startPhase && this.d.startPhases !== false) {
        try {
          await slot.restore(lab.id, rec.startPhase);
        } catch (err) {
          await slot.release(lab.id);
          process.stderr.write(`[class] a warm lab of class ${classId} could not be put at ${rec.startPhase}: ${(err as Error).message}\n`);
          return;
        }
      }
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
  async dashboard(classId: string): Promise<ClassInfo> {
    const rec = await this.record(classId);
    this.looked.set(classId, this.d.now());
    const members = (await this.d.store.list<ClassLab>(classId, MEMBER_KIND)).filter((m) => !m.doc.warm);
    const labs: LabSummary[] = [];
    for (const m of members.sort((a, b) => (a.doc.joinedAt ?? 0) - (b.doc.joinedAt ?? 0))) {
      const summary = await this.summary(m.id, m.doc.learner ?? 'Learner');
      labs.push(m.doc.walkthrough ? { ...summary, members: (await listMembers(this.d.store, m.id)).map(({ role, joinedAt }) => ({ role, joinedAt })) } : summary);
    }
    const health = await (await this.d.slots.slotForNew()).health();
    return {
      classId, name: rec.name, scenario: rec.scenario,
      capacity: { maxRunningHosts: health.maxRunningHosts, runningHosts: health.runningHosts, queued: health.queued, warmBudget: health.warmBudget },
      warm: { target: rec.warmTarget, ready: await this.warmReady(classId) },
      learners: { max: rec.maxLearners ?? DEFAULT_LEARNERS },
      checkpoints: (await this.d.checkpointStatus?.(rec.scenario)) ?? { state: 'missing', error: null },
      labs,
    };
  }

  private async summary(labId: string, learner: string): Promise<LabSummary> {
    const slot = await this.d.slots.slotOf(labId);
    const status = slot ? await slot.status(labId) : { place: { state: 'closed', position: null } as const, lastActivityAt: null, open: null };
    const { place } = status;
    const lab = await this.d.store.getLab(labId);
    const base = { labId, learner, role: lab?.role ?? 'solo', place: place.state, queuePosition: place.position, lastActivityAt: status.lastActivityAt };
    if (!status.open) {
      const seen = this.lastSeen.get(labId);
      return seen ? { ...seen, ...base, lastActivityAt: base.lastActivityAt ?? seen.lastActivityAt } : { ...base, phase: null, step: null, hosts: [], lastFailedCheck: null };
    }
    const { view, power } = status.open;
    const step = view.data.step;
    const phase = step ? (stepAt(step.path)?.phase ?? null) : 'done';
    const failure = view.data.lastFailure;
    const summary: LabSummary = {
      ...base,
      phase,
      step: step ? { path: step.path, label: step.label, role: step.role } : null,
      hosts: Object.entries(power).map(([name, p]) => {
        const data = view.hosts[name]?.data;
        return { name, label: view.hosts[name]?.label ?? '', power: p, cable: data?.cableUnplugged ? 'out' as const : 'in' as const, disk: data?.smallDisk ? 'small' as const : 'own' as const, clock: data?.clockBehind ? 'behind' as const : 'right' as const };
      }),
      lastFailedCheck: failure?.message ? { message: failure.message, at: null } : null,
      drills: Object.entries(view.data.drillChecks ?? {}).map(([drill, r]) => ({ drill, passed: r.passed, message: r.message })),
    };
    this.lastSeen.set(labId, summary);
    return summary;
  }

  /**
   * Closes the class: its warm labs are deleted and its record goes, so its links stop working.
   * Learners' labs stay theirs (and expire like any lab); they just leave the dashboard.
   */
  async close(classId: string): Promise<{ closed: true; warmDeleted: number }> {
    await this.record(classId);
    await this.underBudgetLock(async () => {
      const rec = await this.record(classId);
      await this.d.store.put(classId, RECORD_KIND, RECORD_ID, { ...rec, warmTarget: 0 });
    });
    const warm = await this.labIds(classId, { warm: true });
    await this.fillWarm(classId);
    await this.d.store.deleteLab(classId);
    this.looked.delete(classId);
    return { closed: true, warmDeleted: warm.length };
  }

  /** A lab that was deleted (e.g. expired) leaves its class's dashboard. */
  async forgetLab(labId: string): Promise<void> {
    for (const id of await this.classIds()) await this.d.store.remove(id, MEMBER_KIND, labId).catch(() => false);
  }

  /**
   * Closes every class whose last use (opening, a join, a warm change, the dashboard) is before
   * `cutoff` and none of whose learners' labs still exists; returns their ids.
   */
  async reapIdle(cutoff: number): Promise<string[]> {
    const reaped: string[] = [];
    for (const id of await this.classIds()) {
      const rec = (await this.d.store.get<ClassRecord>(id, RECORD_KIND, RECORD_ID).catch(() => undefined))?.doc;
      if (!rec) continue;
      const members = await this.d.store.list<ClassLab>(id, MEMBER_KIND);
      const touched = (await this.d.store.get<{ at: number }>(id, RECORD_KIND, TOUCHED_ID).catch(() => undefined))?.doc.at ?? 0;
      const lastUse = Math.max(rec.createdAt, touched, this.looked.get(id) ?? 0, ...members.map((m) => m.doc.joinedAt ?? 0));
      if (lastUse >= cutoff) continue;
      let learnersLeft = false;
      for (const m of members) if (!m.doc.warm && (await this.d.store.getLab(m.id))) learnersLeft = true;
      if (learnersLeft) continue;
      await this.close(id);
      reaped.push(id);
    }
    return reaped;
  }

  private async touch(classId: string): Promise<void> {
    await this.d.store.put(classId, RECORD_KIND, TOUCHED_ID, { at: this.d.now() });
  }

  /** Opens the lab now, or leaves it waiting for a place: its position in the queue, null when open. */
  private async openOrQueue(labId: string): Promise<number | null> {
    return (await this.slotOf(labId)).open(labId);
  }

  /** The slot of a lab of the class; the record is made before, so a missing slot is the store's fault. */
  private async slotOf(labId: string): Promise<LabSlot> {
    const slot = await this.d.slots.slotOf(labId);
    if (!slot) throw new ClassError('not-found', `lab ${labId} is not in any lab slot (it was deleted)`);
    return slot;
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
