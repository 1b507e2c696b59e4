import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import { duplexPair } from '../vm/fake/duplex-pair';
import { arpFrame, parseArp } from '../vm/lan-arp';
import { encodeFrame, FrameReader } from '../vm/lan-frames';
import { LanHub } from '../vm/lan-hub';
import { LabLan, type LanChange } from './lab-lan';

const PLAN = { cidr: '10.77.0.0/24', hostAddresses: ['10.77.0.11'] };

/** Who answers a duplicate-address probe for `ip` on `hub`, as `arping -D` would learn it. */
async function answerers(hub: LanHub, ip: string): Promise<string[]> {
  const [wire, guest] = duplexPair();
  const reader = new FrameReader();
  const macs: string[] = [];
  const unplug = hub.attach(wire, 'prober');
  guest.on('data', (chunk: Buffer) => { for (const f of reader.push(chunk)) { const p = parseArp(f); if (p?.op === 'reply' && p.senderIp === ip) macs.push(p.senderMac); } });
  guest.write(encodeFrame(arpFrame({ op: 'request', senderMac: '52:54:00:00:00:01', senderIp: '0.0.0.0', targetMac: '00:00:00:00:00:00', targetIp: ip }, 'ff:ff:ff:ff:ff:ff')));
  await new Promise((r) => setTimeout(r, 30));
  unplug();
  guest.destroy();
  return macs;
}

async function setup() {
  let t = 1000;
  const store = createMemoryStore({ now: () => new Date(t++), newId: () => `id${t}` });
  const lab = await store.createLab({ scenario: 'single-node' });
  const changes: LanChange[] = [];
  const deps = (hub: LanHub) => ({ store, labId: lab.id, lan: hub, plan: PLAN, now: () => t++, onChange: async (c: LanChange) => { changes.push(c); } });
  return { store, deps, changes };
}

describe('LabLan', () => {
  it('puts a device on the LAN that answers for its address, and takes it off again', async () => {
    const { deps, changes } = await setup();
    const hub = new LanHub();
    const lan = await LabLan.open(deps(hub));
    const r = await lan.add('10.77.0.100');
    expect(r).toEqual({ ok: true, device: { ip: '10.77.0.100', mac: '0e:a1:0a:4d:00:64', addedAt: expect.any(Number) } });
    expect(await answerers(hub, '10.77.0.100')).toEqual(['0e:a1:0a:4d:00:64']);
    expect(await lan.remove('10.77.0.100')).toBe(true);
    expect(await lan.remove('10.77.0.100')).toBe(false);
    expect(await answerers(hub, '10.77.0.100')).toEqual([]);
    expect(await lan.devices()).toEqual([]);
    expect(changes.map((c) => c.change)).toEqual(['added', 'removed']);
  });

  it('refuses a bad address with the reason and plugs nothing in', async () => {
    const { deps } = await setup();
    const hub = new LanHub();
    const lan = await LabLan.open(deps(hub));
    expect(await lan.add('10.77.0.11')).toEqual({ ok: false, code: 'invalid', message: expect.stringMatching(/^\[lab\] ip: 10\.77\.0\.11 is an edge host's own address/) });
    expect(await lan.add(42)).toMatchObject({ ok: false, code: 'invalid' });
    await lan.add('10.77.0.100');
    expect(await lan.add('10.77.0.100')).toMatchObject({ ok: false, code: 'conflict' });
    expect(hub.peerNames).toEqual(['time server 10.77.0.123', 'device 10.77.0.100']);
    expect(await lan.add('10.77.0.123')).toEqual({ ok: false, code: 'invalid', message: expect.stringMatching(/10\.77\.0\.123 is the site's time server/) });
  });

  it('outlives a restart: a new LabLan over the same store plugs the device in again; clear takes it away', async () => {
    const { deps } = await setup();
    const first = await LabLan.open(deps(new LanHub()));
    await first.add('10.77.0.100');
    first.close();
    const hub = new LanHub();
    const again = await LabLan.open(deps(hub));
    await vi.waitFor(async () => expect(await answerers(hub, '10.77.0.100')).toEqual(['0e:a1:0a:4d:00:64']));
    await again.clear();
    expect(await answerers(hub, '10.77.0.100')).toEqual([]);
    expect(await (await LabLan.open(deps(new LanHub()))).devices()).toEqual([]);
  });

  it('has the site\'s time server on by default; off is stored, so a restart keeps it off, and a reset puts it back on', async () => {
    const { deps, changes } = await setup();
    const hub = new LanHub();
    const lan = await LabLan.open(deps(hub));
    const server = { ip: '10.77.0.123', mac: '0e:a1:0a:4d:00:7b' };
    expect(await lan.timeServer()).toEqual({ ...server, on: true });
    expect(await answerers(hub, server.ip)).toEqual([server.mac]);
    expect(await lan.setTimeServer(false)).toEqual({ ...server, on: false });
    expect(await answerers(hub, server.ip)).toEqual([]);
    expect(await lan.setTimeServer(false)).toEqual({ ...server, on: false });
    expect(changes.map((c) => c.change)).toEqual(['time-server-off']);
    lan.close();
    const hub2 = new LanHub();
    const again = await LabLan.open(deps(hub2));
    expect((await again.timeServer()).on).toBe(false);
    expect(hub2.peerNames).toEqual([]);
    await again.clear();
    expect(await again.timeServer()).toEqual({ ...server, on: true });
    expect(await answerers(hub2, server.ip)).toEqual([server.mac]);
    again.close();
    expect(hub2.peerNames).toEqual([]);
  });
});
