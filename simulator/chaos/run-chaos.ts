/**
 * A chaos run: plays a scenario on real hosts, lab after lab, and hits each lab with its
 * planned faults (pure/chaos/plan.ts) at their steps. After a fault it acts as a learner who
 * reads the page: it waits out what the lab says will pass (a busy store, a full disk being
 * freed), presses what the lab offers (Resume, Power on), and does the step again, until the
 * step ends or the time allowed runs out. Then it checks that nothing was lost (the log, the
 * console, Palette's records, the hosts' disks) and files the fault as recovered, named, stuck or lost
 * (pure/chaos/outcomes.ts). Labs run one after another, so a seed replays the same run.
 */
import { FAULT_KINDS, planFaults, type FaultKind, type PlannedFault } from '../pure/chaos/plan';
import { consoleProblem, deliveredProblem, diskProblem, installedInLog, registrationProblem, seqProblem, type LoggedEntry, type PaletteHostRow } from '../pure/chaos/log-checks';
import { summarize, type ChaosSummary, type FaultResult } from '../pure/chaos/outcomes';
import { leafPaths } from '../pure/machines/state-paths';
import type { LabView } from '../pure/protocol';
import { findScenario, type Scenario } from '../pure/scenarios';
import { labStepPath, SCENARIO_STEPS, VERIFY_PATH, type ScenarioMemo, type ScenarioStep } from '../pure/scenarios/scenario-steps';
import { createLab } from '../scenarios/lab-client';
import { ChaosPage, type NameCollection } from './chaos-page';
import { allocatedDiskBytes } from './disk-facts';
import { canMountTmpfs, ChaosServer } from './chaos-server';
import { injectFault, nothingToHit, type FaultTarget } from './faults';

export interface ChaosOptions {
  labs: number;
  faults: number;
  seed: number;
  scenario?: string;
  kinds?: readonly FaultKind[];
  say?: (line: string) => void;
}

export interface ChaosReport {
  seed: number;
  scenario: string;
  kinds: FaultKind[];
  results: FaultResult[];
  summary: ChaosSummary;
  elapsedMs: number;
  serverRestarts: number;
  /** Set when the run could not go on (e.g. a step failed with no fault to blame). */
  error?: string;
}

export class ChaosRunError extends Error {
  constructor(message: string) {
    super(`[chaos] ${message}`);
    this.name = 'ChaosRunError';
  }
}

/** The longest one try at a step may take; cluster provisioning is the long one. */
const ATTEMPT_MS: Readonly<Record<string, number>> = { 'clusterProvisioning.waitingForRunning': 4 * 60_000, 'installHandoff.installingHosts': 3 * 60_000, registration: 2 * 60_000 };
const DEFAULT_ATTEMPT_MS = 90_000;
/** Tries at a step after a fault before the fault counts as stuck. */
const MAX_TRIES = 4;
/** How long the lab may take to agree with itself after a step (log written, Palette told). */
const SETTLE_MS = 10_000;
/** How long what the lab says will pass (the store busy, the disk low) may take to pass. */
const NOTICE_PASS_MS = 60_000;
/** How long a fault waits for something to hit (a host to be on, a stick to be in) while its step goes on. */
const TARGET_WAIT_MS = 20_000;
/** A fault is watched at least this long for what the lab names, however fast its step ends. */
const MIN_WATCH_MS = 2_000;
const RETRY_PAUSE_MS = 2_000;
/** How long a rebooted node may take to be Ready again (boot, etcd, the API) under TCG. */
const NODE_BACK_MS = 180_000;
/** How long the page may take to show a host that lost its VM as off. */
const NOTICED_MS = 10_000;
const CLUSTER_STEPS = new Set(['clusterProvisioning.creatingCluster', 'clusterProvisioning.waitingForRunning', VERIFY_PATH]);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const stepOrder = (path: string): number => SCENARIO_STEPS.findIndex((s) => s.path === (path === 'done' ? VERIFY_PATH : path));
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function defaultKinds(): FaultKind[] {
  return FAULT_KINDS.filter((k) => k !== 'disk-fill' || canMountTmpfs());
}

export async function runChaos(o: ChaosOptions): Promise<ChaosReport> {
  const t0 = performance.now();
  const found = findScenario(o.scenario ?? 'single-node');
  if (!found.ok) throw new ChaosRunError(found.message.replace(/^\[scenario\] /, ''));
  const kinds = [...(o.kinds ?? defaultKinds())];
  const plan = planFaults({ labs: o.labs, faults: o.faults, seed: o.seed, kinds });
  const say = o.say ?? (() => {});
  const results: FaultResult[] = [];
  const report: ChaosReport = { seed: o.seed, scenario: found.scenario.name, kinds, results, summary: summarize(results), elapsedMs: 0, serverRestarts: 0 };
  const server = await ChaosServer.start({ tmpfs: kinds.includes('disk-fill'), labs: o.labs });
  say(`lab server ${server.url}, data in ${server.dataDir}${server.onTmpfs ? ' (a tmpfs of its own)' : ''}`);
  try {
    for (let lab = 1; lab <= o.labs; lab++) {
      try {
        await new LabRun(server, found.scenario, lab, plan.filter((f) => f.lab === lab), results, say).play();
      } catch (err) {
        // A stuck lab is filed; the next lab goes on (its faults are still worth knowing about).
        if (!(err instanceof LabStuck)) throw err;
        say(`lab ${lab} stopped: ${err.message}`);
      }
    }
  } catch (err) {
    report.error = message(err);
  } finally {
    report.serverRestarts = server.restarts;
    await server.close();
    report.summary = summarize(results);
    report.elapsedMs = performance.now() - t0;
  }
  return report;
}

interface OpenFault { fault: PlannedFault; at: number; what: string; names: NameCollection }

/** One lab played through its scenario, with its faults. */
class LabRun {
  private page!: ChaosPage;
  private readonly memo: ScenarioMemo = {};

  constructor(
    private readonly server: ChaosServer,
    private readonly s: Scenario,
    private readonly n: number,
    private readonly faults: PlannedFault[],
    private readonly results: FaultResult[],
    private readonly say: (line: string) => void,
  ) {}

  async play(): Promise<void> {
    const lab = await createLab(this.server.url, this.s.name);
    this.page = new ChaosPage(this.server.url, lab, this.s.hosts.map((h) => h.name));
    await this.page.connect();
    this.say(`lab ${this.n} (${lab.labId}): ${this.faults.length} fault${this.faults.length === 1 ? '' : 's'}`);
    try {
      for (const step of SCENARIO_STEPS) await this.playStep(step, this.faults.filter((f) => f.step === step.path));
    } finally {
      // A finished lab's hosts stop, so the next lab has the machine to itself.
      for (const h of this.s.hosts) await this.page.client.command({ kind: 'host', hostId: h.name }, 'POWER_OFF').catch(() => undefined);
      this.page.close();
    }
  }

  private async playStep(step: ScenarioStep, queue: PlannedFault[]): Promise<void> {
    const open: OpenFault[] = [];
    let failures = 0;
    // A learner looks at the page before each step (a host left off by an earlier fault is seen here).
    await this.actAsLearner(step);
    for (;;) {
      const attempt = this.page.attempt(ATTEMPT_MS[step.path] ?? DEFAULT_ATTEMPT_MS);
      const started = Date.now();
      let finished = false;
      const performing = step.perform(attempt, this.s, this.memo).then(
        () => ({ ok: true as const }),
        (err: unknown) => ({ ok: false as const, error: message(err) }),
      ).finally(() => { finished = true; });

      let hit: OpenFault | null = null;
      while (queue.length > 0 && !hit) {
        const fault = queue.shift()!;
        const wait = fault.delayMs - (Date.now() - started);
        if (wait > 0 && !finished) await Promise.race([sleep(wait), performing]);
        // Nothing to hit yet (the host not on yet): the fault waits for it while the step goes on.
        const target = this.target(fault);
        const giveUp = Date.now() + TARGET_WAIT_MS;
        while (!finished && Date.now() < giveUp && (await nothingToHit(fault.kind, target)) !== null) await Promise.race([sleep(100), performing]);
        // What the lab names from now on is this fault's doing, not the earlier ones'.
        for (const f of open) f.names.freeze();
        hit = await this.inject(fault, attempt);
      }
      if (hit) {
        open.push(hit);
        await this.actAsLearner(step);
        continue;
      }
      const r = await performing;
      if (r.ok || stepOrder(labStepPath(this.page.view())) > stepOrder(step.path)) break;
      failures++;
      if (failures >= MAX_TRIES) {
        const why = `"${step.title(this.s)}" did not end after ${failures} tries: ${r.error}`;
        if (open.length > 0) for (const f of open) this.file(f, 'stuck', `${why}${nameList(f.names.stop())}`);
        else if (!this.restuck(why)) throw new ChaosRunError(`lab ${this.n}: ${why}, and no fault came before it`);
        throw new LabStuck(why);
      }
      // A learner reads the page before trying again; a view a moment behind is not a verdict.
      await sleep(RETRY_PAUSE_MS);
      await this.actAsLearner(step);
    }
    for (const f of open) await this.close(f);
  }

  /** Does the fault; cuts the attempt off when it hit. Null when it found nothing to hit. */
  /** What the fault hits: this lab, and for a host's fault one of its hosts, chosen by the fault's number. */
  private target(fault: PlannedFault): FaultTarget {
    const host = this.s.hosts[(fault.n - 1) % this.s.hosts.length]!.name;
    return { server: this.server, page: this.page, labId: this.page.lab.labId, host };
  }

  private async inject(fault: PlannedFault, attempt: { cut(why: string): void }): Promise<OpenFault | null> {
    const names = this.page.collectNames();
    const at = Date.now();
    const injection = await injectFault(fault.kind, this.target(fault), fault.holdMs);
    if (!injection.hit) {
      names.stop();
      this.results.push({ fault, outcome: 'missed', detail: injection.why, recoveryMs: 0 });
      this.say(`  #${fault.n} ${fault.kind} at "${fault.step}": missed (${injection.why})`);
      return null;
    }
    attempt.cut(`${fault.kind} #${fault.n}`);
    this.say(`  #${fault.n} ${fault.kind} at "${fault.step}" +${(fault.delayMs / 1000).toFixed(1)} s: ${injection.what}`);
    if (injection.lift) {
      await sleep(fault.holdMs);
      await injection.lift();
    }
    if (fault.kind === 'qemu-kill' || fault.kind === 'power-cut') {
      // The page learns of a lost VM from the lab; a learner acts on what the page shows.
      const host = this.target(fault).host;
      await this.page.client.waitForView((v) => v.hosts[host]?.tags.includes('off') === true, NOTICED_MS, `${host} to show off`).catch(() => undefined);
    }
    return { fault, at, what: injection.what, names };
  }

  /** What a learner reading the page does: wait out what passes, press what the lab offers. */
  private async actAsLearner(step: ScenarioStep): Promise<void> {
    const c = this.page.client;
    await c.waitForView((v) => !(v.data.notices ?? []).some((n) => n.kind === 'store-trouble' || n.kind === 'disk-low'), NOTICE_PASS_MS, 'the lab to be able to save again').catch(() => undefined);
    const v = this.page.view();
    for (const h of this.s.hosts) {
      const hv = v.hosts[h.name];
      if (!hv) continue;
      const d = hv.data as Record<string, unknown>;
      const target = { kind: 'host' as const, hostId: h.name };
      if (d.ioPause && hv.allowed.includes('RESUME')) await c.command(target, 'RESUME').catch(() => undefined);
      // The cluster's hosts run from here on: a host that went off is powered on again.
      if (CLUSTER_STEPS.has(step.path) && hv.tags.includes('off') && hv.allowed.includes('POWER_ON')) await c.command(target, 'POWER_ON').catch(() => undefined);
    }
    // kubectl is typed once the page shows every node running again (after a reboot it says "Assigned").
    if (step.path === VERIFY_PATH) {
      const running = (x: LabView): boolean => this.s.hosts.every((h) => { const hv = x.hosts[h.name]; return hv !== undefined && leafPaths(hv.state).includes('powered.paired.lifecycle.running'); });
      await c.waitForView(running, NODE_BACK_MS, 'the cluster\'s hosts to be running again').catch(() => undefined);
    }
  }

  /**
   * A step that fails with no fault of its own: the lab's last fault (filed as survived when its
   * step ended) left it in a state it does not get out of; that fault is stuck after all.
   */
  private restuck(why: string): boolean {
    const last = [...this.results].reverse().find((r) => r.fault.lab === this.n && r.outcome !== 'missed');
    if (!last) return false;
    last.outcome = 'stuck';
    last.detail = `its step ended, but then ${why}`;
    this.say(`  #${last.fault.n} ${last.fault.kind}: now stuck — ${last.detail}`);
    return true;
  }

  private file(f: OpenFault, outcome: FaultResult['outcome'], detail: string): void {
    this.results.push({ fault: f.fault, outcome, detail, recoveryMs: Date.now() - f.at });
    this.say(`  #${f.fault.n} ${f.fault.kind}: ${outcome}${detail ? ` — ${detail}` : ''}`);
  }

  /** The step ended after the fault: lost if the lab disagrees with itself, else recovered or named. */
  private async close(f: OpenFault): Promise<void> {
    const problem = await this.settledProblem();
    await sleep(f.at + MIN_WATCH_MS - Date.now());
    const names = f.names.stop();
    if (problem) this.file(f, 'lost', problem);
    else if (names.length > 0) this.file(f, 'named', names.slice(0, 4).join('; '));
    else this.file(f, 'recovered', '');
  }

  /** What disagrees once the lab had SETTLE_MS to agree with itself; null when nothing does. */
  private async settledProblem(): Promise<string | null> {
    const until = Date.now() + SETTLE_MS;
    for (;;) {
      const problem = await this.problem().catch((err: unknown) => `the lab could not be read: ${message(err)}`);
      if (!problem || Date.now() > until) return problem;
      await sleep(500);
    }
  }

  private async problem(): Promise<string | null> {
    const log = await this.readLog();
    const v: LabView = this.page.view();
    const hosts = this.s.hosts.map((h) => ({ vm: h.name, hostId: String((v.hosts[h.name]?.data as { hostId?: string } | undefined)?.hostId ?? h.name) }));
    const palette = (await this.page.client.call('GET', '/palette/v1/edgehosts', undefined, [200], 'reading Palette\'s edge hosts')) as { hosts: PaletteHostRow[] };
    const installed = installedInLog(log);
    return seqProblem(log)
      ?? deliveredProblem(this.page.delivered, log)
      ?? this.s.hosts.map((h) => consoleProblem(h.name, this.page.consoles.get(h.name) ?? '', log)).find((p) => p !== null)
      ?? registrationProblem(hosts, v.data.registeredHosts ?? [], palette.hosts)
      ?? diskProblem(installed, await allocatedDiskBytes(this.server.dataDir, this.page.lab.labId, installed));
  }

  private async readLog(): Promise<LoggedEntry[]> {
    const out: LoggedEntry[] = [];
    for (;;) {
      const { events } = (await this.page.client.call('GET', `/events?since=${out.at(-1)?.seq ?? 0}`, undefined, [200], 'reading the log')) as { events: LoggedEntry[] };
      out.push(...events);
      if (events.length < 1000) return out;
    }
  }
}

const nameList = (names: readonly string[]): string => (names.length > 0 ? ` (the lab showed: ${names.slice(0, 4).join('; ')})` : ' (the lab named nothing)');

/** A lab that could not go on: its stuck fault is filed, its later faults are not injected. */
class LabStuck extends Error {}
