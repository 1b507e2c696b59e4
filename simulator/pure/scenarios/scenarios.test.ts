import { describe, expect, it } from 'vitest';
import { validateCluster } from '../palette/cluster';
import { validateProfile } from '../palette/profile';
import { validateUserData } from '../user-data';
import { findScenario, SCENARIOS } from './index';
import { singleNode } from './single-node';
import { threeNode } from './three-node';
import { haThreeCp } from './ha-three-cp';

/** Whether an IPv4 address lies in `cidr` (a.b.c.d/prefix). */
function lanOf(cidr: string, prefix: number): (addr: string) => boolean {
  const num = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - prefix);
  const base = Math.floor(num(cidr.split('/')[0]!) / size);
  return (addr) => /^\d{1,3}(\.\d{1,3}){3}$/.test(addr) && Math.floor(num(addr) / size) === base;
}

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('scenario %s', (_name, s) => {
  it('models a profile the simulated Palette accepts', () => {
    expect(validateProfile(s.profile).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('writes user data that validates for every host', () => {
    for (const host of s.hosts) {
      const text = s.userData({ token: 'tok-123', endpoint: 'api.palette.lab', host });
      const result = validateUserData(text, { file: 'user-data.yaml' });
      expect(result).toMatchObject({ ok: true, warnings: [] });
    }
  });

  it('answers the cluster wizard validly once its hosts are Ready', () => {
    const ids = s.hosts.map((h) => h.name);
    const hosts = s.hosts.map((h) => ({ id: h.name, status: 'Ready' as const, ip: h.lanAddress, project: s.project }));
    const spec = s.cluster(ids);
    expect(validateCluster(spec, { profile: s.profile, hosts, project: s.project })).toEqual([]);
  });

  it('gives every host a distinct name and LAN address', () => {
    expect(new Set(s.hosts.map((h) => h.name)).size).toBe(s.hosts.length);
    expect(new Set(s.hosts.map((h) => h.lanAddress)).size).toBe(s.hosts.length);
  });

  it('places every host on the lab LAN, and the VIP too, on an address no host has', () => {
    const inLan = lanOf(s.lan.cidr, s.lan.prefix);
    expect(s.lan.cidr.endsWith(`/${s.lan.prefix}`)).toBe(true);
    for (const h of s.hosts) expect(inLan(h.lanAddress)).toBe(true);
    const { vip } = s.cluster(s.hosts.map((h) => h.name));
    expect(inLan(vip)).toBe(true);
    expect(s.hosts.map((h) => h.lanAddress)).not.toContain(vip);
  });

  it('puts every host into exactly one pool of the cluster', () => {
    const ids = s.hosts.map((h) => h.name);
    const spec = s.cluster(ids);
    const pooled = [...spec.controlPlanePool.hosts, ...(spec.workerPool?.hosts ?? [])].map((h) => h.hostId);
    expect([...pooled].sort()).toEqual([...ids].sort());
  });

  it('can be installed from the one installer the steps build (user data alike for every host, or a single host)', () => {
    // buildInstaller (scenario-steps.ts) writes the installer from the first host's user data.
    const texts = new Set(s.hosts.map((host) => s.userData({ token: 'tok-123', endpoint: 'api.palette.lab', host })));
    expect(texts.size).toBe(1);
  });

  it('verifies each host by name', () => {
    const ids = s.hosts.map((h) => h.name);
    const patterns = s.verify.expect(ids, s.cluster(ids));
    const table = ['NAME          STATUS   ROLES                  AGE   VERSION', ...ids.map((id) => `${id}   Ready    control-plane,master   1m    v1.32.4`)].join('\n');
    for (const p of patterns) expect(table).toMatch(p);
    expect(table.replace(/Ready/g, 'NotReady')).not.toMatch(patterns[0]!);
  });
});

describe('three-node', () => {
  const s = threeNode;
  // Host IDs as the agents derive them from the hardware (no name in the user data).
  const ids = ['edge-0f3c9a1e2b7d4c5f8a6e1d2c3b4a5f60', 'edge-1a2b3c4d5e6f708192a3b4c5d6e7f809', 'edge-9f8e7d6c5b4a39281706f5e4d3c2b1a0'];

  it('has three hosts, edge-host-1 to edge-host-3 at .11 to .13, sized like single-node\'s', () => {
    expect(s.hosts.map((h) => [h.name, h.lanAddress])).toEqual([['edge-host-1', '10.77.0.11'], ['edge-host-2', '10.77.0.12'], ['edge-host-3', '10.77.0.13']]);
    for (const h of s.hosts) expect(h).toMatchObject({ memoryMb: singleNode.hosts[0]!.memoryMb, diskMb: singleNode.hosts[0]!.diskMb });
  });

  it('leaves the host ID to each agent: the user data names no host', () => {
    const text = s.userData({ token: 'tok-123', endpoint: 'api.palette.lab', host: s.hosts[1]! });
    expect(text).not.toMatch(/^\s*name:/m);
    expect(text).toContain('edgeHostToken: tok-123');
  });

  it('makes the first host the control plane, with worker capability, and the other two workers', () => {
    const spec = s.cluster(ids);
    expect(spec.controlPlanePool).toEqual({ hosts: [{ hostId: ids[0] }], allowWorkerCapability: true });
    expect(spec.workerPool).toEqual({ hosts: [{ hostId: ids[1] }, { hostId: ids[2] }] });
    const hosts = ids.map((id, i) => ({ id, status: 'Ready' as const, ip: s.hosts[i]!.lanAddress, project: s.project }));
    expect(validateCluster(spec, { profile: s.profile, hosts, project: s.project })).toEqual([]);
  });

  it('verifies on the control-plane host that all three nodes are Ready', () => {
    const patterns = s.verify.expect(ids, s.cluster(ids));
    expect(patterns).toHaveLength(3);
    const row = (id: string, status: string, roles: string) => `${id}   ${status}    ${roles}   2m    v1.32.4`;
    const table = ['NAME   STATUS   ROLES   AGE   VERSION', row(ids[0]!, 'Ready', 'control-plane,master'), row(ids[1]!, 'Ready', '<none>'), row(ids[2]!, 'Ready', '<none>')].join('\n');
    for (const p of patterns) expect(table).toMatch(p);
    const oneDown = table.replace(`${ids[2]}   Ready`, `${ids[2]}   NotReady`);
    expect(patterns.filter((p) => !p.test(oneDown))).toHaveLength(1);
  });

  it('expects the node names Palette gives, not the raw host IDs', () => {
    const patterns = s.verify.expect(['Edge-ABC', 'edge-2', 'edge-3'], s.cluster(['Edge-ABC', 'edge-2', 'edge-3']));
    expect('edge-abc   Ready    control-plane,master   1m   v1.32.4').toMatch(patterns[0]!);
  });
});

describe('ha-three-cp', () => {
  const s = haThreeCp;
  const ids = ['edge-a1', 'edge-b2', 'edge-c3', 'edge-d4'];

  it('has four hosts at .11 to .14; the first three are the control plane (an odd etcd), the fourth a worker', () => {
    expect(s.hosts.map((h) => h.lanAddress)).toEqual(['10.77.0.11', '10.77.0.12', '10.77.0.13', '10.77.0.14']);
    const spec = s.cluster(ids);
    expect(spec.controlPlanePool).toEqual({ hosts: ids.slice(0, 3).map((hostId) => ({ hostId })), allowWorkerCapability: false });
    expect(spec.workerPool).toEqual({ hosts: [{ hostId: 'edge-d4' }] });
    const hosts = ids.map((id, i) => ({ id, status: 'Ready' as const, ip: s.hosts[i]!.lanAddress, project: s.project }));
    expect(validateCluster(spec, { profile: s.profile, hosts, project: s.project })).toEqual([]);
    expect(s.verify.expect(ids, spec)).toHaveLength(4);
  });
});

describe('findScenario', () => {
  it('finds a scenario by name', () => {
    expect(findScenario('single-node')).toMatchObject({ ok: true, scenario: { name: 'single-node' } });
    expect(findScenario('three-node')).toMatchObject({ ok: true, scenario: { name: 'three-node' } });
  });

  it('lists single-node first, then three-node and ha-three-cp', () => {
    expect(SCENARIOS.map((x) => x.name)).toEqual(['single-node', 'three-node', 'ha-three-cp']);
  });

  it('suggests the nearest name for a typo', () => {
    expect(findScenario('single-nod')).toEqual({ ok: false, message: expect.stringMatching(/no scenario named "single-nod"; did you mean "single-node"\?/) });
  });
});
