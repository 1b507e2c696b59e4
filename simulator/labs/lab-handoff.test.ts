// The hosts' handoff through a lab's runtime and its channel (the socket's door), with a fake VM
// driver: the lab waits at the handoff once the host is installed, only IT/Ops (or solo, trainer)
// may send HAND_OFF, and the host's buttons and console follow the chart's custody.
import { afterEach, describe, expect, it } from 'vitest';
import { EdgeHost, type EdgeHostSpec } from '../hosts/edge-host';
import type { HostIo } from '../hosts/host-io';
import { singleNode } from '../pure/scenarios/single-node';
import { createMemoryStore } from '../store/memory-store';
import type { LabStore } from '../store/types';
import { FakeVmDriver } from '../vm/fake/fake-driver';
import { labChannel } from './lab-channel';
import type { PaletteFacts } from './lab-checks';
import { LabRuntime } from './lab-runtime';

const io: HostIo = { async ensureDisk() {}, async readBootSector() { return null; }, async copy() {}, async exists() { return true; } };
const SPEC: EdgeHostSpec = {
  name: 'edge-host-1', uuid: '4c4c4544-0042-3510-8052-b4c04f4e3332', mac: '52:54:00:12:34:01', cpus: 1, memoryMb: 192,
  diskPath: '/lab/disk.qcow2', diskSizeMb: 1024,
  images: { vmlinux: '/i/vmlinux', diskBootInitrd: '/i/disk.cpio', usbBootInitrd: '/i/usb.cpio' },
  endpoints: [{ hostname: 'api.palette.lab', hostPort: 41000 }], relayCommand: (p) => ['relay', String(p)], tscKhz: 2_000_000,
};
const NOW = 1_800_000_000_000;
const HOST = { kind: 'host', hostId: 'edge-host-1' } as const;
const LAB = { kind: 'lab' } as const;
const open: LabRuntime[] = [];
afterEach(async () => { for (const rt of open.splice(0)) await rt.close(); });

const until = async (cond: () => boolean, what: string): Promise<void> => {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** A shared lab (the opener is the trainer) whose profile, token and installer exist, and whose host has installed. */
async function installedLab() {
  const store: LabStore = createMemoryStore({ now: () => new Date(NOW), newId: () => 'id' });
  await store.createLab({ id: 'lab-1', scenario: 'single-node' });
  const palette: PaletteFacts = {
    profiles: async () => [{ name: 'edge-k3s-lab', version: '1.0.0' }],
    tokens: async () => [{ name: 'edge-lab-token', expiresAt: NOW + 60_000 }],
    hosts: async () => [],
    clusters: async () => [],
    damagedImages: async () => [],
  };
  const vms = new Map([['edge-host-1', new EdgeHost(SPEC, new FakeVmDriver(), io)]]);
  const rt = await LabRuntime.open({
    store, labId: 'lab-1', scenario: singleNode, role: 'trainer', now: () => NOW, vms, palette,
    installers: async () => [{ id: 'inst-1', path: '/lab/inst-1.img' }],
    sticks: async () => [{ id: 'inst-1', path: '/lab/inst-1.img' }],
  });
  open.push(rt);
  const channel = labChannel({ store, runtime: rt, vms });
  const step = (): string => rt.stepPath();
  await rt.append({ type: 'host.installed', host: 'edge-host-1' });
  await until(() => step() === 'installHandoff.shippingHosts', 'the lab to wait at the handoff');
  return { rt, channel, store, step };
}

describe('handing the hosts over to the site', () => {
  it('is IT/Ops\' to do, and moves the hosts from IT/Ops to the site technician', async () => {
    const { rt, channel, store, step } = await installedLab();
    expect(rt.custody()).toBe('it-ops');
    expect(rt.view().view.allowed).toContain('HAND_OFF');
    expect(rt.view().view.data).toMatchObject({ custody: 'it-ops', handoffs: [] });

    // On the bench: the site technician may not touch the host, nor hand it over.
    const early = await channel.command({ target: HOST, name: 'POWER_ON', role: 'site-technician' });
    expect(early).toMatchObject({ ok: false, code: 'role-forbidden', message: expect.stringMatching(/on the staging bench with IT\/Ops .* IT\/Ops may do it/) });
    for (const role of ['site-technician', 'app-owner', 'tenant-admin']) {
      const r = await channel.command({ target: LAB, name: 'HAND_OFF', role });
      expect(r).toMatchObject({ ok: false, code: 'role-forbidden', message: expect.stringMatching(/handing the hosts over to the site .* IT\/Ops may do it/) });
    }
    expect(step()).toBe('installHandoff.shippingHosts');

    expect(await channel.command({ target: LAB, name: 'HAND_OFF', role: 'it-ops' })).toEqual({ ok: true });
    expect(step()).toBe('registration');
    expect(rt.custody()).toBe('site-technician');
    expect(rt.view().view.data).toMatchObject({ custody: 'site-technician', handoffs: [{ from: 'it-ops', to: 'site-technician', what: 'hosts' }] });
    expect((await store.eventsSince('lab-1', 0)).filter((e) => e.type === 'lab.command').map((e) => e.payload))
      .toEqual([{ name: 'HAND_OFF', role: 'it-ops' }]);

    // At the site: the technician holds the host; IT/Ops may no longer power it or type on it.
    const late = await channel.command({ target: HOST, name: 'POWER_ON', role: 'it-ops' });
    expect(late).toMatchObject({ ok: false, code: 'role-forbidden', message: expect.stringMatching(/at the site with the site technician .* The Site technician may do it/) });
    await expect(channel.consoleInput('edge-host-1', new TextEncoder().encode('ls\n'), 'it-ops')).rejects.toThrow(/typing on the console while the hosts are at the site/);
    expect(await channel.command({ target: HOST, name: 'POWER_ON', role: 'site-technician' })).toEqual({ ok: true });

    // Once handed over, there is nothing to hand over again.
    expect(await channel.command({ target: LAB, name: 'HAND_OFF', role: 'it-ops' })).toMatchObject({ ok: false, code: 'not-allowed' });
  });

  it('answers a CHECK at the handoff with what to press, and gives the hosts back to IT/Ops on RESTART', async () => {
    const { rt, channel, step } = await installedLab();
    expect(await channel.command({ target: LAB, name: 'CHECK', role: 'it-ops' })).toEqual({ ok: true });
    await until(() => (rt.view().view.data as { lastFailure?: unknown }).lastFailure != null, 'the check to answer');
    expect(rt.view().view.data).toMatchObject({ lastFailure: { check: 'hosts-handed-off', message: expect.stringContaining('press "Hand over to the site"') } });
    expect(step()).toBe('installHandoff.shippingHosts');

    expect(await channel.command({ target: LAB, name: 'HAND_OFF', role: 'trainer' })).toEqual({ ok: true });
    expect(rt.custody()).toBe('site-technician');
    expect(await channel.command({ target: LAB, name: 'RESTART', role: 'trainer' })).toEqual({ ok: true });
    await until(() => step() === 'modelProfile', 'the restart');
    expect(rt.custody()).toBe('it-ops');
    expect(rt.view().view.data).toMatchObject({ custody: 'it-ops', handoffs: [] });
  });

  it('names every lab command when one is unknown', async () => {
    const { channel } = await installedLab();
    expect(await channel.command({ target: LAB, name: 'SHIP', role: 'it-ops' })).toEqual({
      ok: false, code: 'unknown-command', message: '[lab] SHIP is not a lab command; use CHECK, RESTART, HAND_OFF, CHECK_DRILL',
    });
  });
});
