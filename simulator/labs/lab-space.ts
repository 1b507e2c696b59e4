/**
 * Everything one lab owns, put together: its directory (disks, installers), its
 * simulated Palette, the loopback agent listener only its guests reach (Palette
 * endpoint and lab registry on one port), its LAN hub, its VMs and the runtime
 * that keeps their statecharts. Opening a space for an existing lab restores it
 * from the store; closing it stops its VMs and releases every port.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Hono } from 'hono';
import { createPalette, createPaletteHttp, listenAgent, type AgentListener, type Palette, type RegistryBlob } from '../palette';
import { PALETTE_DOC_KINDS } from '../palette/records';
import type { GuestImages } from '../images/guest-images';
import { smallDiskPathOf, type EdgeHost } from '../hosts/edge-host';
import type { HostIo } from '../hosts/host-io';
import { findScenario, type Scenario } from '../pure/scenarios';
import type { LabStore } from '../store/types';
import type { VmDriver } from '../vm/types';
import { LanHub } from '../vm/lan-hub';
import { LabLan, LAN_DEVICE_KIND, TIME_SERVER_KIND } from './lab-lan';
import type { LabChannel } from './channel-contract';
import { LabError } from './errors';
import { labChannel } from './lab-channel';
import type { PaletteFacts } from './lab-checks';
import { buildInstaller, INSTALLER_KIND, installerPath, listInstallers, listSiteSticks, listSticks, type BuildResult } from './lab-installers';
import { LabRuntime } from './lab-runtime';
import { makeEdgeHost, vmRecords } from './lab-vms';
import { consoleFile, persistConsole, restoreConsole } from './console-files';
import type { BootDevice } from '../hosts/boot-order';
import { pauseHost, resumeHost, saveMemory } from '../hosts/checkpoint';

/**
 * The lab registry's blobs: the provider OS, and the image broken on purpose for the upgrade's
 * fallback drill. Test doubles of GuestImages that have no broken image get only the first.
 */
async function labRegistry(images: GuestImages): Promise<RegistryBlob[]> {
  const blob = async (repository: string, path: string): Promise<RegistryBlob> => ({ repository, sha256: images.sha256[basename(path)] ?? '', size: (await stat(path)).size, path });
  return [
    await blob('edge-lab-provider', images.providerOs),
    ...(images.providerOsBroken ? [await blob('edge-lab-provider-broken', images.providerOsBroken)] : []),
  ];
}

/** Names a guest resolves to its lab's agent listener. */
export const LAB_ENDPOINT_NAMES = ['api.palette.lab', 'registry.lab'] as const;
/** Everything RESTART forgets: the simulated Palette's records, the lab's installers, the drill's devices on the LAN. */
const RESET_KINDS = [...PALETTE_DOC_KINDS, INSTALLER_KIND, LAN_DEVICE_KIND, TIME_SERVER_KIND];
/** How often host health is recomputed from heartbeats. */
const HEALTH_SWEEP_MS = 10_000;

/** Hosts to power on from a saved memory stream when the space opens (a checkpoint, a suspended lab). */
export type ResumePlan = Record<string, { memory: string; device: BootDevice; usb: string | null }>;

export interface OpenOptions {
  resume?: ResumePlan;
  /** A line written on every host's console as the space opens (e.g. the lab jumped). */
  note?: string;
}

export interface SpaceDeps {
  store: LabStore;
  images: GuestImages;
  driver: VmDriver;
  io: HostIo;
  tscKhz: number;
  now: () => number;
  newId: () => string;
  /** Why the data directory's disk is too full for new work now, or null (limits/disk-space.ts). */
  diskLow?: () => { message: string } | null;
}

export class LabSpace {
  private closing: Promise<void> | null = null;

  private constructor(
    readonly labId: string,
    readonly role: string,
    readonly scenario: Scenario,
    readonly dir: string,
    readonly palette: Palette,
    readonly paletteHttp: Hono,
    readonly runtime: LabRuntime,
    readonly vms: ReadonlyMap<string, EdgeHost>,
    private readonly deps: SpaceDeps,
    private readonly agentListener: AgentListener,
    readonly agentPort: number,
    private readonly hub: LanHub,
    readonly lan: LabLan,
    private readonly sweep: NodeJS.Timeout,
    private readonly stopConsoles: readonly (() => Promise<void>)[],
  ) {}

  static async open(labId: string, dir: string, d: SpaceDeps, o: OpenOptions = {}): Promise<LabSpace> {
    const lab = await d.store.getLab(labId);
    if (!lab) throw new LabError('unknown-scenario', `no lab ${labId}`);
    const found = findScenario(lab.scenario);
    if (!found.ok) throw new LabError('unknown-scenario', found.message);
    const scenario = found.scenario;
    await mkdir(join(dir, 'disks'), { recursive: true });

    const records = await vmRecords(d.store, labId, scenario.hosts);
    let runtime: LabRuntime | undefined;
    const identities = (): Record<string, string> => Object.fromEntries(records.map((r) => [r.name, runtime?.hostIdOf(r.name) ?? r.name]));
    const palette = createPalette({
      store: d.store, labId, now: d.now, newId: d.newId,
      registry: await labRegistry(d.images),
      onEvent: () => runtime?.notifyAppended(),
      lanAddressOf: (hostId) => {
        const vm = Object.entries(identities()).find(([, id]) => id === hostId)?.[0];
        const rec = records.find((r) => r.name === vm);
        return rec ? `${rec.lanAddress}/${scenario.lan.prefix}` : undefined;
      },
    });
    await palette.ensureDefaults();

    // Only the lab's guests' agents may use it: the names they use, a host's own key, bounded (palette/http/agent-listener.ts).
    const agentListener = await listenAgent(palette, { endpointNames: LAB_ENDPOINT_NAMES });
    const agentPort = agentListener.port;
    const hub = await LanHub.start();
    const lan = await LabLan.open({
      store: d.store, labId, lan: hub, now: d.now,
      plan: { cidr: scenario.lan.cidr, hostAddresses: records.map((r) => r.lanAddress) },
      onChange: async (c) => {
        await runtime?.append(c.change === 'time-server-on' || c.change === 'time-server-off'
          ? { type: 'lab.time-server', on: c.change === 'time-server-on', ip: c.ip }
          : { type: 'lab.lan-device', change: c.change, ip: c.ip, mac: c.mac });
      },
    });
    const env = { dir, images: d.images, driver: d.driver, io: d.io, tscKhz: d.tscKhz, hub, lanPrefix: scenario.lan.prefix, endpointNames: LAB_ENDPOINT_NAMES, agentPort };
    const vms = new Map<string, EdgeHost>();
    const stopConsoles: (() => Promise<void>)[] = [];
    for (const r of records) {
      const vm = await makeEdgeHost(r, env);
      await restoreConsole(vm.console, consoleFile(dir, r.name));
      if (o.note) vm.console.append(new TextEncoder().encode(`\r\n[edge-lab] ${o.note}\r\n`));
      stopConsoles.push(persistConsole(vm.console, consoleFile(dir, r.name)));
      vms.set(r.name, vm);
    }
    // Before the charts open: they already say these hosts are on.
    await Promise.all(Object.entries(o.resume ?? {}).map(async ([name, r]) => {
      const vm = vms.get(name);
      if (vm) await resumeHost(vm, r.memory, r.device, r.usb ? installerPath(dir, r.usb) : null);
    }));

    let space: LabSpace | undefined;
    runtime = await LabRuntime.open({
      store: d.store, labId, scenario, role: lab.role ?? 'solo', now: d.now, vms,
      palette: paletteFacts(palette),
      installers: () => listInstallers(d.store, labId, dir),
      sticks: () => listSticks(d.store, labId, dir),
      lanDevices: () => lan.devices(),
      timeServer: () => lan.timeServer(),
      onReset: () => space?.reset() ?? Promise.resolve(),
      ...(d.diskLow ? { diskLow: d.diskLow } : {}),
    });
    const sweep = setInterval(() => void palette.sweepHealth().catch(() => {}), HEALTH_SWEEP_MS);
    sweep.unref();
    space = new LabSpace(labId, lab.role ?? 'solo', scenario, dir, palette, createPaletteHttp(palette), runtime, vms, d, agentListener, agentPort, hub, lan, sweep, stopConsoles);
    void runtime.autoCheck();
    return space;
  }

  get store(): LabStore { return this.deps.store; }

  /** Hosts powered on now. */
  runningHosts(): number {
    return [...this.vms.values()].filter((h) => h.power === 'on').length;
  }

  /**
   * Idle: every running host's memory is saved into the lab's directory and its power cut (the
   * disks stay in place), the charts keep saying they are on, and the space closes. The plan
   * returned, kept by the caller, resumes them when the lab is opened again.
   */
  async suspend(): Promise<ResumePlan> {
    const plan: ResumePlan = {};
    const running = [...this.vms].filter(([, h]) => h.power === 'on');
    await mkdir(join(this.dir, 'suspended'), { recursive: true });
    for (const [, h] of running) await pauseHost(h);
    this.runtime.detachVms();
    const { usb } = await this.runtime.chartsImage();
    for (const [name, h] of running) {
      const memory = join(this.dir, 'suspended', `${name}.memory`);
      await saveMemory(h, memory);
      plan[name] = { memory, device: h.bootDevice() ?? 'disk', usb: usb[name] ?? null };
      await h.powerOff();
    }
    await this.runtime.append({ type: 'lab.suspended' });
    await this.close();
    return plan;
  }

  channel(): LabChannel {
    return labChannel({ store: this.deps.store, runtime: this.runtime, vms: this.vms });
  }

  async buildInstaller(userDataText: string): Promise<BuildResult> {
    const plugged = new Set([...this.vms.values()].flatMap((h) => (h.usbStick ? [h.usbStick] : [])));
    const r = await buildInstaller({ store: this.deps.store, labId: this.labId, dir: this.dir, images: this.deps.images, userDataText, now: this.deps.now(), plugged });
    if (r.ok) await this.runtime.append({ type: 'lab.installer-built', id: r.installer.id, sha256: r.installer.sha256, size: r.installer.size });
    return r;
  }

  installers() {
    return listInstallers(this.deps.store, this.labId, this.dir);
  }

  /** A site user-data stick (CIDATA) from site user data; kept with the installers. */
  async buildSiteStick(userDataText: string): Promise<BuildResult> {
    const plugged = new Set([...this.vms.values()].flatMap((h) => (h.usbStick ? [h.usbStick] : [])));
    return buildInstaller({ store: this.deps.store, labId: this.labId, dir: this.dir, images: this.deps.images, userDataText, now: this.deps.now(), plugged, kind: 'site' });
  }

  siteSticks() {
    return listSiteSticks(this.deps.store, this.labId, this.dir);
  }

  /**
   * RESTART: the lab back at its start. Palette's records and the installers go
   * first (so no check can pass on them meanwhile), then the hosts lose power,
   * their sticks and their disks; `lab.reset` then starts every chart afresh.
   */
  async reset(): Promise<void> {
    const store = this.deps.store;
    for (const kind of RESET_KINDS) {
      for (const doc of await store.list(this.labId, kind)) await store.remove(this.labId, kind, doc.id);
    }
    await rm(join(this.dir, 'installers'), { recursive: true, force: true });
    await this.lan.clear();
    for (const h of this.vms.values()) {
      await h.powerOff().catch(() => {});
      if (h.usbStick) await h.removeUsb().catch(() => {});
      if (!h.cablePlugged) await h.setCable(true).catch(() => {});
      if (h.smallDisk) await h.setSmallDisk(false).catch(() => {});
      if (h.clockBehind) await h.setClockBehind(false).catch(() => {});
      await rm(h.spec.diskPath, { force: true });
      await rm(smallDiskPathOf(h.spec.diskPath), { force: true });
    }
    await this.palette.ensureDefaults();
    await this.runtime.append({ type: 'lab.reset' });
  }

  /**
   * Stops the VMs (guest shutdown, then harder; `fast`: the power is cut, for a lab about to be
   * replaced), the listeners and the runtime. Idempotent.
   */
  close(o: { fast?: boolean } = {}): Promise<void> {
    this.closing ??= (async () => {
      clearInterval(this.sweep);
      this.palette.close();
      if (o.fast) this.runtime.detachVms();
      await Promise.all([...this.vms.values()].map((h) => (o.fast ? h.powerOff() : h.shutdown(3_000)).catch(() => h.powerOff().catch(() => {}))));
      await this.runtime.close();
      await Promise.all(this.stopConsoles.map((stop) => stop()));
      await this.agentListener.close();
      this.lan.close();
      await this.hub.close();
    })();
    return this.closing;
  }
}

function paletteFacts(p: Palette): PaletteFacts {
  return {
    profiles: async () => (await p.profiles.list()).sort((a, b) => a.savedAt - b.savedAt).map((x) => ({ name: x.name, version: x.version })),
    tokens: async () => (await p.tokens.list()).sort((a, b) => a.createdAt - b.createdAt).map((t) => ({ name: t.name, expiresAt: t.expiresAt })),
    hosts: async () => (await p.hosts.list()).map((h) => ({ hostId: h.hostId, registered: h.registration === 'registered' })),
    clusters: async () => (await p.clusters.list()).sort((a, b) => a.createdAt - b.createdAt).map((c) => ({ name: c.name, status: c.status, ...(c.health ? { health: c.health } : {}), vip: c.spec.vip })),
    damagedImages: async () => (await p.registry.images()).filter((i) => i.damaged).map((i) => i.repository),
  };
}
