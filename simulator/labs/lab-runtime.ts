/**
 * One lab, live: its statecharts (the lab, one per host, one per cluster), its
 * VMs, its simulated Palette and its agent listener. The lab is the unit of
 * placement: everything of one lab lives here together and guest traffic never
 * leaves it.
 *
 * The log is the one way in. Every input — a page command, a power change, a
 * console event, a Palette change, a check result — is appended to the lab's
 * log in the store first; a single follower then applies entries in seq order
 * to the charts (lab-log.ts `routeEntry`), saves the charts with the seq they
 * reflect, and only then tells listeners (pages). So a page that reconnects with
 * `since=<seq>` misses nothing, and a restarted simulator rebuilds the charts
 * from the saved snapshot plus the entries after it (replayed without effects).
 */
import { isActingRole } from '../pure/roles/vocabulary';
import type { SessionRole } from '../pure/machines/lab.steps';
import { createActor, type Actor } from 'xstate';
import {
  clusterMachine, hostEventFromConsole, hostMachine, labMachine, routeEntry, toClusterView, toHostView, toLabView, toProtocolLabView,
  type HostCommand, type HostCustodian, type LabChartsImage, type LabCommandType, type LabCheck, type LabInstruction, type LabLogEntry,
} from '../pure/machines';
import type { LabView as ProtocolLabView } from '../pure/protocol';
import { stepAt } from '../pure/machines/lab.steps';
import type { Scenario } from '../pure/scenarios';
import type { LabEvent as StoredEvent, LabStore } from '../store/types';
import type { EdgeHost, HostIoChange, PowerChange } from '../hosts/edge-host';
import type { ConsoleEvent } from '../pure/console-events';
import { runLabCheck, type PaletteFacts } from './lab-checks';
import { checkDrill, type DrillCheckResult, type DrillHostFacts, type PageDrillId } from '../pure/drills/drill-checks';
import { isTransientStoreError } from '../store/errors';
import { labNotices, type StoreTrouble } from '../pure/machines/lab-notices';

type HostActor = Actor<typeof hostMachine>;
type ClusterActor = Actor<typeof clusterMachine>;
type LabActor = Actor<typeof labMachine>;

/** What the runtime saves after each batch of entries: the charts and the seq they reflect. */
interface RuntimeState extends LabChartsImage {
  appliedSeq: number;
  /** Missing in states saved before sticks were remembered. */
  usb: Record<string, string>;
}

const STATE_KIND = 'runtime';
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 2_000;
const STATE_ID = 'state';

export type RuntimeUpdate = { kind: 'event'; entry: StoredEvent } | { kind: 'view'; seq: number; view: ProtocolLabView };

export interface RuntimeDeps {
  store: LabStore;
  labId: string;
  scenario: Scenario;
  role: string;
  now: () => number;
  vms: ReadonlyMap<string, EdgeHost>;
  palette: PaletteFacts;
  installers: () => Promise<readonly { id: string; path: string }[]>;
  /** Every stick a host can take: the installers and the site user-data sticks. */
  sticks: () => Promise<readonly { id: string; path: string }[]>;
  /** Machines on the lab LAN that are not edge hosts (the VIP clash drill); none when left out. */
  lanDevices?: () => Promise<readonly { ip: string; mac: string }[]>;
  /** The site's time server on the lab LAN (the clock drill's check). */
  timeServer?: () => Promise<{ ip: string; on: boolean }>;
  /** Called by the RESTART command after the charts were reset. */
  onReset?: () => Promise<void>;
  /** Why the lab server's disk is too full now, or null; shown as a notice. */
  diskLow?: () => { message: string } | null;
}

export class LabRuntime {
  private lab!: LabActor;
  private readonly hosts = new Map<string, HostActor>();
  private readonly clusters = new Map<string, ClusterActor>();
  private identities: Record<string, string> = {};
  private installed = new Set<string>();
  private usb: Record<string, string> = {};
  private appliedSeq = 0;
  /** Effects are off while entries from before a restart are replayed. */
  private replaying = false;
  private readonly listeners = new Set<(u: RuntimeUpdate) => void>();
  private pumping: Promise<void> = Promise.resolve();
  private pumpAgain = false;
  private checking = false;
  private closed = false;
  private readonly unhook: (() => void)[] = [];
  /**
   * What the VMs reported that the store has not taken yet, oldest first. They are written in
   * order, retried while the store fails for a while, and never dropped: a VM's event either
   * reaches the log or stays here, shown on the page as the store's trouble.
   */
  private readonly unsaved: LabLogEntry[] = [];
  private saving = false;
  /** The store's last failure while it still fails; null when every write went through. */
  private storeTrouble: StoreTrouble | null = null;
  /** How long to wait before retrying the store; doubles up to a few seconds. */
  private retryMs = RETRY_FIRST_MS;

  private constructor(private readonly d: RuntimeDeps) {}

  /** Rebuilds the lab from the store (snapshot + later entries) and attaches its VMs. */
  static async open(d: RuntimeDeps): Promise<LabRuntime> {
    const rt = new LabRuntime(d);
    const saved = (await d.store.get<RuntimeState>(d.labId, STATE_KIND, STATE_ID))?.doc;
    rt.restoreCharts(saved);
    rt.replaying = true;
    await rt.pump();
    rt.replaying = false;
    // A VM does not outlive the simulator (QEMU dies with it): hosts the charts think are on are off now.
    const wasOn = [...rt.hosts].filter(([name, a]) => !a.getSnapshot().hasTag('off') && d.vms.get(name)?.power !== 'on');
    // Any entry counts, not only a saved snapshot: the server may have died between appending a POWER_ON and saving the charts.
    if (rt.appliedSeq > 0 && wasOn.length > 0) {
      await rt.append({ type: 'lab.simulator-restarted' });
      for (const [name] of wasOn) await rt.append({ type: 'host.power', host: name, change: { state: 'off', reason: 'server-restarted' } });
    }
    for (const [name, vm] of d.vms) rt.attachVm(name, vm);
    await rt.reinsertSticks();
    await rt.matchDrillHardware();
    return rt;
  }

  get labId(): string { return this.d.labId; }
  get seq(): number { return this.appliedSeq; }
  hostIdOf(vm: string): string | null { return this.identities[vm] ?? null; }
  vmOf(hostId: string): string | undefined { return Object.entries(this.identities).find(([, id]) => id === hostId)?.[0]; }

  subscribe(listener: (u: RuntimeUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  view(): { seq: number; view: ProtocolLabView } {
    const hosts = Object.fromEntries([...this.hosts].map(([n, a]) => [n, toHostView(a.getSnapshot())]));
    const clusters = Object.fromEntries([...this.clusters].map(([n, a]) => [n, toClusterView(a.getSnapshot())]));
    const protocol = toProtocolLabView(toLabView(this.lab.getSnapshot(), this.appliedSeq), hosts, clusters, this.d.now());
    const notices = labNotices({ hosts, storeTrouble: this.storeTrouble, unsaved: this.unsaved.length, diskLow: this.d.diskLow?.()?.message ?? null });
    return { seq: this.appliedSeq, view: { ...protocol, data: { ...protocol.data, notices } } };
  }

  /** The lab step to do now ('' once every phase is done), from the lab chart alone: cheap enough for every keystroke. */
  stepPath(): string {
    return toLabView(this.lab.getSnapshot(), this.appliedSeq).step?.path ?? '';
  }

  /** Who holds the hosts now, from the lab chart's context (only HAND_OFF changes it): cheap enough for every keystroke. */
  custody(): HostCustodian {
    // Charts saved before the handoff was an event hold no custody: the hosts are where the phase puts them.
    const { custody } = this.lab.getSnapshot().context as { custody?: HostCustodian };
    if (custody) return custody;
    const phase = stepAt(this.stepPath())?.phase;
    return phase === 'modelProfile' || phase === 'installHandoff' ? 'it-ops' : 'site-technician';
  }

  /** Appends one entry and resolves once the charts have applied it. */
  async append(entry: LabLogEntry): Promise<number> {
    if (this.closed) throw new Error(`[lab] lab ${this.d.labId} is closed`);
    const { type, ...payload } = entry;
    const { seq } = await this.d.store.append(this.d.labId, { type, payload });
    await this.pump();
    return seq;
  }

  /** Entries someone else appended (the simulated Palette): apply them. */
  notifyAppended(): void {
    if (!this.closed) void this.pump();
  }

  /** A host command from a page: refused unless the host's chart accepts it now. */
  async hostCommand(vm: string, command: HostCommand, role: string): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    const actor = this.hosts.get(vm);
    if (!actor) return { ok: false, code: 'unknown-host', message: `[lab] this lab has no host ${vm}; its hosts are ${[...this.hosts.keys()].join(', ')}` };
    const snap = actor.getSnapshot();
    if (!snap.can(command)) {
      return { ok: false, code: 'not-allowed', message: `[lab] ${command.type} is not possible now: ${vm} is ${toHostView(snap).label}` };
    }
    // A host that starts writes to its disk at once; below the floor it would only pause again.
    const low = command.type === 'POWER_ON' ? this.d.diskLow?.() : null;
    if (low) return { ok: false, code: 'disk-low', message: `[lab] ${vm} stays off for now: ${low.message.replace(/^\[[a-z-]+\] /, '')}` };
    await this.append({ type: 'host.command', host: vm, command, role });
    return { ok: true };
  }

  async labCommand(name: LabCommandType, role: string): Promise<{ ok: true } | { ok: false; code: string; message: string }> {
    const snap = this.lab.getSnapshot();
    if (!snap.can({ type: name })) {
      return { ok: false, code: 'not-allowed', message: `[lab] ${name} is not possible now (${toLabView(snap, this.appliedSeq).label})` };
    }
    await this.append({ type: 'lab.command', name, role });
    return { ok: true };
  }

  /**
   * A Troubleshooting drill's "Check my work": judged from the hosts' charts and Palette's records
   * now (pure/drills/drill-checks.ts) and recorded in the lab chart (DRILL_CHECKED), where every page
   * of the lab sees the answer. It moves no step.
   */
  async checkDrill(drill: PageDrillId): Promise<DrillCheckResult> {
    const now = this.d.now();
    const [records, tokens, damagedImages, clusters, lanDevices] = await Promise.all([
      this.d.palette.hosts(), this.d.palette.tokens(), this.d.palette.damagedImages(), this.d.palette.clusters(), this.d.lanDevices?.() ?? [],
    ]);
    const registered = new Set(records.filter((r) => r.registered).map((r) => r.hostId));
    const hosts = this.d.scenario.hosts.map((h): DrillHostFacts => {
      const snap = this.hosts.get(h.name)?.getSnapshot();
      const c = snap?.context;
      const hostId = this.identities[h.name] ?? c?.hostId ?? null;
      return {
        name: h.name, hostId,
        poweredOn: snap ? !snap.hasTag('off') : false,
        cableUnplugged: c?.cableUnplugged ?? false,
        usbInserted: c?.usbInserted ?? false,
        smallDisk: c?.smallDisk ?? false,
        refusal: c?.refusal ?? null,
        registered: hostId !== null && registered.has(hostId),
        cluster: c?.cluster ?? null,
        provisioningStep: c?.provisioningStep ?? null,
        fault: c?.fault?.reason ?? null,
        vip: c?.vip ?? null,
        vipClash: c?.vipClash ?? null,
        clockBehind: c?.clockBehind ?? false,
        clock: c?.clock ?? null,
        clockDrift: c?.clockDrift ?? null,
      };
    });
    const result = checkDrill(drill, {
      hosts, validTokens: tokens.filter((t) => t.expiresAt > now).length, damagedImages,
      clusters: clusters.flatMap((c) => (c.vip ? [{ name: c.name, vip: c.vip }] : [])),
      lanDevices: lanDevices.map(({ ip, mac }) => ({ ip, mac })),
      timeServer: (await this.d.timeServer?.()) ?? null,
    });
    await this.append({ type: 'lab.check-result', event: { type: 'DRILL_CHECKED', drill, ...result }, auto: false });
    return result;
  }

  /** Runs the current step's check without recording a failure: used after every change, so the lab follows the reader. */
  async autoCheck(): Promise<void> {
    if (this.checking || this.closed) return;
    this.checking = true;
    try {
      for (let round = 0; round < 8; round++) {
        const check = this.currentCheck();
        if (!check) return;
        const before = this.appliedSeq;
        const { proved } = await this.evaluate(check);
        const fresh = proved.filter((e) => this.lab.getSnapshot().can(e));
        if (fresh.length === 0) return;
        for (const event of fresh) await this.append({ type: 'lab.check-result', event, auto: true });
        if (this.appliedSeq === before) return;
      }
    } finally {
      this.checking = false;
    }
  }

  /**
   * The lab server's disk has room again: hosts QEMU paused on it run on (each reports its
   * resume, which the log records), and pages get a view without the disk notice.
   */
  async diskSpaceReturned(): Promise<void> {
    for (const [name, vm] of this.d.vms) {
      if (!vm.ioPaused) continue;
      await vm.resume().catch((err: unknown) => {
        this.record({ type: 'host.command-failed', host: name, command: 'RESUME', message: `[lab] resuming ${name} after space returned failed: ${err instanceof Error ? err.message : String(err)}` });
      });
    }
    this.emitView();
  }

  /** Tells pages the lab's view again (a notice beside the charts changed). */
  refreshView(): void {
    this.emitView();
  }

  /** Stops hearing from the VMs (their power is about to be cut on purpose: suspended or replaced). */
  detachVms(): void {
    for (const u of this.unhook.splice(0)) u();
  }

  /** Every chart as it is once the entries appended so far are applied (for a checkpoint). */
  async chartsImage(): Promise<LabChartsImage> {
    await this.pump();
    const { appliedSeq: _seq, ...charts } = this.state();
    return structuredClone(charts);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    for (const u of this.unhook.splice(0)) u();
    await this.pumping.catch(() => {});
    this.closed = true;
    this.lab.stop();
    for (const a of this.hosts.values()) a.stop();
    for (const a of this.clusters.values()) a.stop();
    this.listeners.clear();
  }

  // --- charts -----------------------------------------------------------------

  /** A stick the charts say is in a host goes back into its (new) VM object. */
  private async reinsertSticks(): Promise<void> {
    const sticks = await this.d.sticks();
    for (const [name, id] of Object.entries(this.usb)) {
      const vm = this.d.vms.get(name);
      const stick = sticks.find((i) => i.id === id);
      if (!vm || vm.usbStick) continue;
      const failed = (message: string) => this.append({ type: 'host.command-failed', host: name, command: 'INSERT_USB', message });
      if (!stick) { await failed(`[lab] the stick ${id} that was in ${name} is gone; build it again`); continue; }
      await vm.insertUsb(stick.path).catch((err: unknown) => failed(`[lab] putting ${id} back into ${name} after a restart failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  /**
   * A drill the charts say is on stays on in the host's (new) VM object: a cable out keeps its next
   * boot link-down, a small disk stays in place of the host's own, a clock set behind stays behind.
   */
  private async matchDrillHardware(): Promise<void> {
    for (const [name, actor] of this.hosts) {
      const vm = this.d.vms.get(name);
      const c = actor.getSnapshot().context;
      if (vm && vm.cablePlugged && c.cableUnplugged) await vm.setCable(false);
      if (vm && !vm.smallDisk && (c.smallDisk ?? false) && vm.power === 'off') await vm.setSmallDisk(true);
      if (vm && !vm.clockBehind && (c.clockBehind ?? false) && vm.power === 'off') await vm.setClockBehind(true);
    }
  }

  private restoreCharts(saved: RuntimeState | undefined): void {
    this.appliedSeq = saved?.appliedSeq ?? 0;
    this.identities = { ...(saved?.identities ?? {}) };
    this.installed = new Set(saved?.installed ?? []);
    this.usb = { ...(saved?.usb ?? {}) };
    this.startCharts(saved);
  }

  /** The lab and host charts from their saved snapshots, or fresh. */
  private startCharts(saved: LabChartsImage | undefined): void {
    const labOpts = { input: { role: this.chartRole(), expectedHosts: this.d.scenario.hosts.length } };
    this.lab = createActor(this.labLogic(), saved?.lab ? { ...labOpts, snapshot: saved.lab as never } : labOpts).start();
    for (const h of this.d.scenario.hosts) {
      const snap = saved?.hosts[h.name];
      this.hosts.set(h.name, createActor(this.hostLogic(h.name), snap ? { input: undefined, snapshot: snap as never } : { input: undefined }).start());
    }
    for (const [name, snap] of Object.entries(saved?.clusters ?? {})) {
      this.clusters.set(name, createActor(this.clusterLogic(), { input: { name }, snapshot: snap as never }).start());
    }
  }

  private chartRole(): SessionRole {
    const r = this.d.role;
    return isActingRole(r) ? r : 'solo';
  }

  private labLogic() {
    return labMachine.provide({
      actions: {
        runCheck: (_, params: { check: LabCheck }) => { if (!this.replaying) void this.checkAndRecord(params.check); },
        resetLab: () => { if (!this.replaying) void this.d.onReset?.(); },
      },
    });
  }

  private hostLogic(vm: string) {
    const effect = (command: HostCommand, op: (h: EdgeHost) => Promise<unknown>) => () => {
      if (this.replaying) return;
      const host = this.d.vms.get(vm);
      if (!host) return;
      op(host).catch((err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        this.record({ type: 'host.command-failed', host: vm, command: command.type, message });
      });
    };
    return hostMachine.provide({
      actions: {
        powerOn: effect({ type: 'POWER_ON' }, (h) => h.powerOn()),
        pressPowerButton: effect({ type: 'POWER_BUTTON' }, (h) => h.pressPowerButton()),
        reset: effect({ type: 'RESET' }, (h) => h.reset()),
        powerOff: effect({ type: 'POWER_OFF' }, (h) => h.powerOff()),
        insertUsb: (_, params: { image: string }) => effect({ type: 'INSERT_USB', image: params.image }, async (h) => {
          const stick = (await this.d.sticks()).find((i) => i.id === params.image);
          if (!stick) throw new Error(`[lab] no stick ${params.image} in this lab (an installer or a site user-data stick); build one first`);
          await h.insertUsb(stick.path);
        })(),
        removeUsb: effect({ type: 'REMOVE_USB' }, (h) => h.removeUsb()),
        resumeVm: effect({ type: 'RESUME' }, (h) => h.resume()),
        unplugCable: effect({ type: 'UNPLUG_CABLE' }, (h) => h.setCable(false)),
        plugCable: effect({ type: 'PLUG_CABLE' }, (h) => h.setCable(true)),
        fitSmallDisk: effect({ type: 'FIT_SMALL_DISK' }, (h) => h.setSmallDisk(true)),
        fitLargeDisk: effect({ type: 'FIT_LARGE_DISK' }, (h) => h.setSmallDisk(false)),
        setClockBehind: effect({ type: 'SET_CLOCK_BEHIND' }, (h) => h.setClockBehind(true)),
        setClockRight: effect({ type: 'SET_CLOCK_RIGHT' }, (h) => h.setClockBehind(false)),
      },
    });
  }

  private clusterLogic() {
    return clusterMachine;
  }

  private attachVm(name: string, vm: EdgeHost): void {
    const onPower = (c: PowerChange): void => {
      const plain = c.state === 'on' ? { state: 'on' as const, device: c.device, cause: c.cause } : { state: 'off' as const, reason: c.reason };
      this.record({ type: 'host.power', host: name, change: plain });
    };
    const onEvent = (e: ConsoleEvent): void => {
      const mapped = hostEventFromConsole(e);
      if (mapped) this.record({ type: 'host.console', host: name, event: mapped });
      if (e.type === 'install.complete') this.record({ type: 'host.installed', host: name });
    };
    const onIo = (c: HostIoChange): void => {
      this.record({ type: 'host.io', host: name, event: c.state === 'paused' ? { type: 'IO_PAUSED', operation: c.operation, nospace: c.nospace, reason: c.reason } : { type: 'IO_RESUMED' } });
    };
    vm.on('power', onPower);
    vm.on('event', onEvent);
    vm.on('io', onIo);
    this.unhook.push(() => { vm.off('power', onPower); vm.off('event', onEvent); vm.off('io', onIo); });
  }

  // --- what the VMs report ------------------------------------------------------------

  /** A VM's report: queued behind any earlier one the store has not taken yet, then written. */
  private record(entry: LabLogEntry): void {
    if (this.closed) return;
    this.unsaved.push(entry);
    void this.saveUnsaved();
  }

  /** Writes the queued reports in order; while the store fails for a while, says so and retries. */
  private async saveUnsaved(): Promise<void> {
    if (this.saving) return;
    this.saving = true;
    try {
      while (this.unsaved.length > 0 && !this.closed) {
        try {
          await this.append(this.unsaved[0]!);
          this.unsaved.shift();
          this.storeRecovered();
        } catch (err) {
          if (this.closed) return;
          if (!isTransientStoreError(err)) {
            // Not a passing trouble (the lab was deleted, the store closed): nothing to retry into.
            process.stderr.write(`[lab] ${this.d.labId}: a host's report could not be saved and is dropped: ${err instanceof Error ? err.message : String(err)}\n`);
            this.unsaved.shift();
            continue;
          }
          this.storeFailed(err);
          await new Promise((r) => setTimeout(r, this.retryMs));
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
        }
      }
    } finally {
      this.saving = false;
    }
  }

  private storeFailed(err: Error & { code: string }): void {
    const first = this.storeTrouble === null;
    this.storeTrouble = { code: err.code, message: err.message, since: this.storeTrouble?.since ?? this.d.now() };
    if (first) process.stderr.write(`[lab] ${this.d.labId}: the store fails (${err.message}); retrying\n`);
    this.emitView();
  }

  private storeRecovered(): void {
    this.retryMs = RETRY_FIRST_MS;
    if (this.storeTrouble === null) return;
    this.storeTrouble = null;
    this.emitView();
  }

  private emitView(): void {
    if (this.replaying || this.closed) return;
    const v = this.view();
    this.emit({ kind: 'view', seq: v.seq, view: v.view });
  }

  // --- the follower ---------------------------------------------------------------

  /** Applies every entry after appliedSeq, in order; concurrent calls share one run. */
  private pump(): Promise<void> {
    this.pumpAgain = true;
    // A failed run must not reject the chain: every later pump would then be skipped and the lab stand still.
    this.pumping = this.pumping.catch(() => {}).then(() => this.applyNewEntries()).catch((err: unknown) => {
      // Reading the log failed for a while: what was appended is safe there; apply it on a retry.
      if (!isTransientStoreError(err)) throw err;
      this.storeFailed(err);
      setTimeout(() => { if (!this.closed) void this.pump().catch(() => {}); }, this.retryMs);
    });
    return this.pumping;
  }

  private async applyNewEntries(): Promise<void> {
      while (this.pumpAgain && !this.closed) {
        this.pumpAgain = false;
        const entries = await this.d.store.eventsSince(this.d.labId, this.appliedSeq);
        if (entries.length === 0) continue;
        for (const e of entries) {
          this.apply({ type: e.type, ...(e.payload as object) } as LabLogEntry);
          this.appliedSeq = e.seq;
        }
        await this.saveSnapshot();
        if (!this.replaying) {
          for (const e of entries) this.emit({ kind: 'event', entry: e });
          const v = this.view();
          this.emit({ kind: 'view', seq: v.seq, view: v.view });
          if (entries.some((e) => triggersAutoCheck(e.type))) void this.autoCheck();
        }
      }
  }

  private apply(entry: LabLogEntry): void {
    for (const ins of routeEntry(entry, (id) => this.vmOf(id))) this.carryOut(ins);
  }

  private carryOut(ins: LabInstruction): void {
    switch (ins.to) {
      case 'identity': this.identities[ins.host] = ins.hostId; return;
      case 'installed': this.installed.add(ins.host); return;
      case 'reset':
      case 'load': {
        this.lab.stop();
        for (const a of [...this.hosts.values(), ...this.clusters.values()]) a.stop();
        this.hosts.clear();
        this.clusters.clear();
        const charts = ins.to === 'load' ? this.forThisLab(ins.charts) : undefined;
        this.identities = { ...(charts?.identities ?? {}) };
        this.installed = new Set(charts?.installed ?? []);
        this.usb = { ...(charts?.usb ?? {}) };
        this.startCharts(charts);
        return;
      }
      case 'lab': this.lab.send(ins.event); return;
      case 'host': {
        const actor = this.hosts.get(ins.host);
        const usbBefore = actor?.getSnapshot().context.usbInserted;
        actor?.send(ins.event);
        const usbAfter = actor?.getSnapshot().context.usbInserted;
        if (ins.event.type === 'INSERT_USB' && usbAfter && !usbBefore) this.usb[ins.host] = ins.event.image;
        if (usbBefore && !usbAfter) delete this.usb[ins.host];
        const cluster = actor?.getSnapshot().context.cluster;
        const hostId = this.identities[ins.host];
        // Palette's health events name the host; its cluster hears about it here.
        if (cluster && hostId && (ins.event.type === 'HEARTBEAT_OK' || ins.event.type === 'HEARTBEAT_FAILED')) {
          this.clusters.get(cluster)?.send({ type: ins.event.type === 'HEARTBEAT_OK' ? 'NODE_HEALTHY' : 'NODE_UNHEALTHY', host: hostId });
        }
        return;
      }
      case 'cluster': this.clusters.get(ins.cluster)?.send(ins.event); return;
      case 'new-cluster': {
        this.clusters.get(ins.cluster)?.stop();
        this.clusters.set(ins.cluster, createActor(this.clusterLogic(), { input: { name: ins.cluster, nodeCount: ins.nodeCount } }).start());
        return;
      }
      case 'forget-cluster': {
        this.clusters.get(ins.cluster)?.stop();
        this.clusters.delete(ins.cluster);
        return;
      }
    }
  }

  /** A checkpoint's charts were made in another lab: the lab chart takes this lab's session role. */
  private forThisLab(charts: LabChartsImage): LabChartsImage {
    const lab = charts.lab as { context?: Record<string, unknown> } | null;
    return lab?.context ? { ...charts, lab: { ...lab, context: { ...lab.context, role: this.chartRole() } } } : charts;
  }

  private state(): RuntimeState {
    return {
      appliedSeq: this.appliedSeq,
      lab: this.lab.getPersistedSnapshot(),
      hosts: Object.fromEntries([...this.hosts].map(([n, a]) => [n, a.getPersistedSnapshot()])),
      clusters: Object.fromEntries([...this.clusters].map(([n, a]) => [n, a.getPersistedSnapshot()])),
      identities: this.identities,
      installed: [...this.installed],
      usb: this.usb,
    };
  }

  /**
   * Saves the charts with the seq they reflect. The snapshot only shortens a replay (the log
   * holds every entry), so a store that fails for a while is shown and retried with the next
   * batch rather than holding the lab up.
   */
  private async saveSnapshot(): Promise<void> {
    try {
      await this.d.store.put(this.d.labId, STATE_KIND, STATE_ID, this.state());
      if (this.unsaved.length === 0) this.storeRecovered();
    } catch (err) {
      if (!isTransientStoreError(err)) throw err;
      this.storeFailed(err);
    }
  }

  private emit(u: RuntimeUpdate): void {
    for (const l of this.listeners) {
      try { l(u); } catch { /* a listener's failure is its own */ }
    }
  }

  // --- checks ---------------------------------------------------------------------

  private currentCheck(): LabCheck | null {
    return toLabView(this.lab.getSnapshot(), this.appliedSeq).step?.check ?? null;
  }

  private async evaluate(check: LabCheck) {
    return runLabCheck(check, {
      palette: this.d.palette,
      now: this.d.now(),
      installers: await this.d.installers(),
      vms: this.d.scenario.hosts.map((h) => ({ name: h.name, hostId: this.identities[h.name] ?? null, installed: this.installed.has(h.name) })),
      lab: this.lab.getSnapshot().context,
    });
  }

  /** The reader's CHECK: what it proves advances the lab; what is missing is recorded with a hint. */
  private async checkAndRecord(check: LabCheck): Promise<void> {
    try {
      const { proved, failure } = await this.evaluate(check);
      for (const event of proved) {
        if (this.lab.getSnapshot().can(event)) await this.append({ type: 'lab.check-result', event, auto: false });
      }
      if (failure) await this.append({ type: 'lab.check-result', event: { type: 'CHECK_FAILED', check, message: failure }, auto: false });
    } catch (err) {
      const message = `the check could not run: ${err instanceof Error ? err.message : String(err)}`;
      await this.append({ type: 'lab.check-result', event: { type: 'CHECK_FAILED', check, message }, auto: false }).catch(() => {});
    }
  }
}

function triggersAutoCheck(type: string): boolean {
  return type.startsWith('palette.') || type === 'host.installed' || type === 'lab.installer-built' || type === 'host.console';
}
