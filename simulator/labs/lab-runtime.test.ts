import { afterEach, describe, expect, it } from 'vitest';
import { EdgeHost, type EdgeHostSpec } from '../hosts/edge-host';
import type { HostIo } from '../hosts/host-io';
import { singleNode } from '../pure/scenarios/single-node';
import { createMemoryStore } from '../store/memory-store';
import type { LabStore } from '../store/types';
import { StoreFullError } from '../store/errors';
import { FakeVmDriver } from '../vm/fake/fake-driver';
import type { PaletteFacts } from './lab-checks';
import { LabRuntime, type RuntimeUpdate } from './lab-runtime';

class MemoryIo implements HostIo {
  async ensureDisk(): Promise<void> {}
  async readBootSector(): Promise<Uint8Array | null> { return null; }
  async copy(): Promise<void> {}
  async exists(path: string): Promise<boolean> { return path === '/lab/inst-1.img'; }
}

const SPEC: EdgeHostSpec = {
  name: 'edge-host-1', uuid: '4c4c4544-0042-3510-8052-b4c04f4e3332', mac: '52:54:00:12:34:01', cpus: 1, memoryMb: 192,
  diskPath: '/lab/disk.qcow2', diskSizeMb: 1024,
  images: { vmlinux: '/i/vmlinux', diskBootInitrd: '/i/disk.cpio', usbBootInitrd: '/i/usb.cpio' },
  endpoints: [{ hostname: 'api.palette.lab', hostPort: 41000 }], relayCommand: (p) => ['relay', String(p)], tscKhz: 2_000_000,
};

/** Palette as the checks see it, held in memory so a test decides what exists. */
function fakePalette() {
  const facts = {
    profiles: [] as { name: string; version: string }[],
    tokens: [] as { name: string; expiresAt: number }[],
    hosts: [] as { hostId: string; registered: boolean }[],
    clusters: [] as { name: string; status: string }[],
    damagedImages: [] as string[],
  };
  const palette: PaletteFacts = {
    profiles: async () => facts.profiles, tokens: async () => facts.tokens, hosts: async () => facts.hosts, clusters: async () => facts.clusters,
    damagedImages: async () => facts.damagedImages,
  };
  return { facts, palette };
}

const NOW = 1_800_000_000_000;
const open: LabRuntime[] = [];

async function lab(store: LabStore, driver = new FakeVmDriver()) {
  if (!(await store.getLab('lab-1'))) await store.createLab({ id: 'lab-1', scenario: 'single-node' });
  const host = new EdgeHost(SPEC, driver, new MemoryIo());
  const { facts, palette } = fakePalette();
  const updates: RuntimeUpdate[] = [];
  const rt = await LabRuntime.open({
    store, labId: 'lab-1', scenario: singleNode, role: 'solo', now: () => NOW,
    vms: new Map([['edge-host-1', host]]), palette, installers: async () => [{ id: 'inst-1', path: '/lab/inst-1.img' }],
    sticks: async () => [{ id: 'inst-1', path: '/lab/inst-1.img' }],
  });
  rt.subscribe((u) => updates.push(u));
  open.push(rt);
  return { rt, host, driver, facts, updates };
}

const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

afterEach(async () => {
  for (const rt of open.splice(0)) await rt.close();
});

describe('LabRuntime', () => {
  const store = (): LabStore => createMemoryStore({ now: () => new Date(NOW), newId: () => 'id' });

  it('starts at Model Cluster Profile with every host off and POWER_ON allowed', async () => {
    const { rt } = await lab(store());
    const { view, seq } = rt.view();
    expect(seq).toBe(0);
    expect(view.state).toBe('modelProfile');
    expect(view.phases[0]).toMatchObject({ id: 'model-profile', status: 'active' });
    expect(view.hosts['edge-host-1']).toMatchObject({ state: 'poweredOff', allowed: expect.arrayContaining(['POWER_ON', 'INSERT_USB']) });
  });

  it('logs a command before the chart takes it, then tells listeners the event and the new view', async () => {
    const s = store();
    const { rt, updates, driver } = await lab(s);
    expect(await rt.hostCommand('edge-host-1', { type: 'POWER_ON' }, 'solo')).toEqual({ ok: true });
    await until(() => rt.view().view.hosts['edge-host-1']?.state !== 'poweredOff' && driver.vms.length === 1, 'the VM to start');
    const log = await s.eventsSince('lab-1', 0);
    expect(log[0]).toMatchObject({ seq: 1, type: 'host.command', payload: { host: 'edge-host-1', command: { type: 'POWER_ON' } } });
    await until(() => log.length >= 1 && updates.some((u) => u.kind === 'event' && u.entry.type === 'host.power'), 'the power change');
    const kinds = updates.map((u) => (u.kind === 'event' ? `e${u.entry.seq}` : `v${u.seq}`));
    expect(kinds[0]).toBe('e1');
    expect(kinds[1]).toBe('v1');
    expect((await s.eventsSince('lab-1', 1))[0]).toMatchObject({ type: 'host.power', payload: { change: { state: 'on', device: 'disk' } } });
  });

  it('refuses a command the chart does not accept now, naming the state', async () => {
    const { rt } = await lab(store());
    expect(await rt.hostCommand('edge-host-1', { type: 'RESET' }, 'solo')).toEqual({ ok: false, code: 'not-allowed', message: expect.stringMatching(/RESET is not possible now: edge-host-1 is Powered off/i) });
    expect(await rt.hostCommand('edge-host-9', { type: 'POWER_ON' }, 'solo')).toMatchObject({ ok: false, code: 'unknown-host' });
  });

  it('follows the reader: a saved profile and a token advance the lab without a CHECK', async () => {
    const s = store();
    const { rt, facts } = await lab(s);
    facts.profiles.push({ name: 'edge-k3s-lab', version: '1.0.0' });
    await s.append('lab-1', { type: 'palette.profile.saved', payload: { name: 'edge-k3s-lab', version: '1.0.0' } });
    rt.notifyAppended();
    await until(() => JSON.stringify(rt.view().view.state) === JSON.stringify({ installHandoff: 'creatingToken' }), 'the profile step to pass');
    facts.tokens.push({ name: 'edge-lab-token', expiresAt: NOW + 1000 });
    await s.append('lab-1', { type: 'palette.token.created', payload: { name: 'edge-lab-token', project: 'Default' } });
    rt.notifyAppended();
    // The installer already exists in this fake, so the lab moves on to installing.
    await until(() => JSON.stringify(rt.view().view.state) === JSON.stringify({ installHandoff: 'installingHosts' }), 'token and installer steps to pass');
  });

  it('records a failed CHECK with what to do', async () => {
    const { rt } = await lab(store());
    expect(await rt.labCommand('CHECK', 'solo')).toEqual({ ok: true });
    await until(() => (rt.view().view.data as { lastFailure?: unknown }).lastFailure != null, 'the failure');
    expect(rt.view().view.data).toMatchObject({ lastFailure: { check: 'profile', message: expect.stringMatching(/No cluster profile is saved/) } });
  });

  it('comes back after a restart where it was, and shows a host that was on as off', async () => {
    const s = store();
    const first = await lab(s);
    await first.rt.hostCommand('edge-host-1', { type: 'POWER_ON' }, 'solo');
    await until(() => first.rt.view().view.hosts['edge-host-1']?.tags.includes('on') === true, 'power on');
    const seqBefore = first.rt.seq;
    await first.rt.close();
    open.splice(open.indexOf(first.rt), 1);

    const second = await lab(s);
    const { view, seq } = second.rt.view();
    expect(seq).toBe(seqBefore + 2);
    expect(view.hosts['edge-host-1']).toMatchObject({ state: 'poweredOff', data: { lastPowerOff: 'server-restarted', hint: expect.stringMatching(/lab server restarted/) } });
    const tail = await s.eventsSince('lab-1', seqBefore);
    expect(tail.map((e) => e.type)).toEqual(['lab.simulator-restarted', 'host.power']);
  });

  it('replays entries appended after the last saved snapshot without repeating their effects', async () => {
    const s = store();
    await s.createLab({ id: 'lab-1', scenario: 'single-node' });
    await s.append('lab-1', { type: 'host.command', payload: { host: 'edge-host-1', command: { type: 'POWER_ON' }, role: 'solo' } });
    const driver = new FakeVmDriver();
    const { rt } = await lab(s, driver);
    await new Promise((r) => setTimeout(r, 20));
    expect(driver.vms).toHaveLength(0);
    // A host asked to power on when the server died is off now, and may be powered on again (it was stuck "Powering on").
    expect(rt.view().view.hosts['edge-host-1']).toMatchObject({ state: 'poweredOff', allowed: expect.arrayContaining(['POWER_ON']) });
    expect((await s.eventsSince('lab-1', 1)).map((e) => e.type)).toEqual(['lab.simulator-restarted', 'host.power']);
  });

  it('puts a stick back into its host after a restart', async () => {
    const s = store();
    const first = await lab(s);
    expect(await first.rt.hostCommand('edge-host-1', { type: 'INSERT_USB', image: 'inst-1' }, 'solo')).toEqual({ ok: true });
    await until(() => first.host.usbStick === '/lab/inst-1.img', 'the stick to go in');
    await first.rt.close();
    open.splice(open.indexOf(first.rt), 1);
    const second = await lab(s);
    expect(second.host.usbStick).toBe('/lab/inst-1.img');
    expect(second.rt.view().view.hosts['edge-host-1']?.data).toMatchObject({ usbInserted: true, commandError: null });
  });

  it('keeps a pulled network cable out after a restart: the host\'s next boot starts link-down', async () => {
    const s = store();
    const driver = new FakeVmDriver();
    const first = await lab(s, driver);
    // A cable that is in cannot be plugged in; one that is out cannot be pulled again.
    expect(await first.rt.hostCommand('edge-host-1', { type: 'PLUG_CABLE' }, 'solo')).toMatchObject({ ok: false, code: 'not-allowed' });
    expect(await first.rt.hostCommand('edge-host-1', { type: 'UNPLUG_CABLE' }, 'solo')).toEqual({ ok: true });
    expect(await first.rt.hostCommand('edge-host-1', { type: 'UNPLUG_CABLE' }, 'solo')).toMatchObject({ ok: false, code: 'not-allowed' });
    await until(() => !first.host.cablePlugged, 'the cable to come out');
    await first.rt.close();
    open.splice(open.indexOf(first.rt), 1);
    const second = await lab(s, driver);
    expect(second.host.cablePlugged).toBe(false);
    expect(second.rt.view().view.hosts['edge-host-1']?.data).toMatchObject({ cableUnplugged: true });
    await second.host.powerOn();
    expect(driver.last.linkUp.get('wan')).toBe(false);
    expect(await second.rt.hostCommand('edge-host-1', { type: 'PLUG_CABLE' }, 'solo')).toEqual({ ok: true });
    await until(() => second.host.cablePlugged && driver.last.linkUp.get('wan') === true, 'the cable to go back in');
  });

  it('keeps what a VM reports while the store cannot write, says so on the page, and saves it in order once it can', async () => {
    const inner = store();
    let full = false;
    const failing = (): never => { throw new StoreFullError('/data/lab.db'); };
    const s: LabStore = {
      ...inner,
      append: (...a) => (full ? Promise.reject(new StoreFullError('/data/lab.db')) : inner.append(...a)),
      put: (...a) => (full ? Promise.resolve().then(failing) : inner.put(...a)),
    };
    const { rt, host, updates } = await lab(s);
    full = true;
    await host.powerOn();
    host.emit('event', { type: 'os.booted', slot: 'A', os: 'edge-lab' });
    await until(() => (rt.view().view.data.notices ?? []).some((n) => n.kind === 'store-trouble'), 'the store trouble notice');
    expect(rt.view().view.data.notices?.[0]).toMatchObject({ severity: 'error', message: expect.stringMatching(/cannot save this lab right now: \[store\] the disk holding \/data\/lab\.db is full.*2 reports from the hosts are held/) });
    expect(updates.some((u) => u.kind === 'view' && (u.view.data.notices ?? []).length > 0)).toBe(true);
    // A person's command is refused with the store's words (the server answers 503), not half-done.
    await expect(rt.hostCommand('edge-host-1', { type: 'POWER_ON' }, 'solo')).rejects.toBeInstanceOf(StoreFullError);
    expect(await inner.eventsSince('lab-1', 0)).toEqual([]);
    full = false;
    await until(() => rt.view().view.hosts['edge-host-1']?.state !== 'poweredOff' && !(rt.view().view.data.notices ?? []).length, 'the held reports to be saved');
    expect((await inner.eventsSince('lab-1', 0)).map((e) => `${e.type}:${JSON.stringify(e.payload).slice(0, 60)}`)).toEqual([
      expect.stringMatching(/^host\.power:.*"state":"on"/),
      expect.stringMatching(/^host\.console:.*OS_BOOTED/),
    ]);
    expect(rt.view().view.hosts['edge-host-1']?.state).toMatchObject({ powered: { registrationMode: 'booting' } });
  });

  it('shows a host QEMU paused on a full disk as paused with what to do, and RESUME runs it again', async () => {
    const { rt, host, driver } = await lab(store());
    await rt.hostCommand('edge-host-1', { type: 'POWER_ON' }, 'solo');
    await until(() => driver.vms.length === 1 && rt.view().view.hosts['edge-host-1']?.tags.includes('on') === true, 'power on');
    driver.vms[0]!.ioError();
    await until(() => rt.view().view.hosts['edge-host-1']?.tags.includes('paused') === true, 'the pause to reach the lab');
    const paused = rt.view().view.hosts['edge-host-1']!;
    expect(paused).toMatchObject({ label: expect.stringMatching(/Paused: disk full$/), tags: expect.arrayContaining(['error']), allowed: expect.arrayContaining(['RESUME', 'POWER_OFF']) });
    expect(paused.data.hint).toMatch(/lab server's disk is full\. Free space there.*press Resume/);
    expect(await rt.hostCommand('edge-host-1', { type: 'RESUME' }, 'solo')).toEqual({ ok: true });
    await until(() => host.ioPaused === null && rt.view().view.hosts['edge-host-1']?.tags.includes('paused') === false, 'the host to run again');
    expect(rt.view().view.hosts['edge-host-1']?.allowed).not.toContain('RESUME');
  });
});
