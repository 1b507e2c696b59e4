import { describe, expect, it } from 'vitest';
import type { EdgeHostView } from './cluster-nodes';
import { nextNodeName, planPoolEdit, type PoolEditFacts, type PoolNode } from './pool-edit';

const cp = (n: number): PoolNode => ({ hostId: `edge-${n}`, nodeName: `edge-${n}`, role: 'control-plane', lanIp: `10.77.0.1${n}/24` });
const worker = (n: number): PoolNode => ({ ...cp(n), role: 'worker' });
const ready = (id: string, ip = ''): EdgeHostView => ({ id, status: 'Ready', ip, project: 'Default' });
const inUse = (id: string): EdgeHostView => ({ id, status: 'In-Use', ip: '', project: 'Default' });

function facts(nodes: PoolNode[], extra: EdgeHostView[] = [], over: Partial<PoolEditFacts['cluster']> = {}, unhealthy: string[] = []): PoolEditFacts {
  return {
    cluster: { name: 'c1', status: 'Running', project: 'Default', vip: '10.77.0.100', nodes, ...over },
    hosts: [...nodes.map((n) => inUse(n.hostId)), ...extra],
    unhealthy: new Set(unhealthy),
    lanAddressOf: (id) => ({ 'edge-9': '10.77.0.19/24', 'edge-vip': '10.77.0.100/24', 'edge-dup': '10.77.0.11/24' } as Record<string, string>)[id],
  };
}

const codes = (r: ReturnType<typeof planPoolEdit>): string[] => (r.ok ? [] : r.issues.map((i) => i.code));
const message = (r: ReturnType<typeof planPoolEdit>): string => (r.ok ? '' : r.issues.map((i) => `${i.message} | ${i.hint}`).join('\n'));

describe('planPoolEdit: add a worker', () => {
  it('adds a Ready host as a worker with its planned LAN address and a node name of its own', () => {
    const r = planPoolEdit(facts([cp(1)], [ready('edge-9')]), { action: 'add-worker', hostId: 'edge-9' });
    expect(r).toMatchObject({ ok: true, added: { hostId: 'edge-9', role: 'worker', lanIp: '10.77.0.19/24', nodeName: 'edge-9' }, removed: null });
    expect(r.ok && r.nodes.map((n) => n.hostId)).toEqual(['edge-1', 'edge-9']);
  });

  it('uses the address the host reported when the lab has no plan for it', () => {
    const r = planPoolEdit(facts([cp(1)], [ready('edge-7', '10.77.0.17')]), { action: 'add-worker', hostId: 'edge-7' });
    expect(r).toMatchObject({ ok: true, added: { lanIp: '10.77.0.17/24' } });
  });

  it.each([
    ['an ID the grid does not have', [], 'edge-9', 'host-unknown'],
    ['an Unpaired host', [{ ...ready('edge-9'), status: 'Unpaired' as const }], 'edge-9', 'host-not-registered'],
    ['a host In-Use elsewhere', [inUse('edge-9')], 'edge-9', 'host-in-use'],
    ['a node of this cluster', [], 'edge-1', 'host-in-cluster'],
    ['a host of another project', [{ ...ready('edge-9'), project: 'Other' }], 'edge-9', 'host-other-project'],
    ['a host whose address is the VIP', [ready('edge-vip')], 'edge-vip', 'ip-conflict'],
    ['a host whose address a node has', [ready('edge-dup')], 'edge-dup', 'ip-conflict'],
  ])('refuses %s', (_what, extra, hostId, code) => {
    const r = planPoolEdit(facts([cp(1)], extra), { action: 'add-worker', hostId });
    expect(codes(r)).toEqual([code]);
    expect(message(r)).toContain(hostId);
  });

  it('refuses an Unhealthy host and says to power it on', () => {
    const r = planPoolEdit(facts([cp(1)], [ready('edge-9')], {}, ['edge-9']), { action: 'add-worker', hostId: 'edge-9' });
    expect(codes(r)).toEqual(['host-unhealthy']);
    expect(message(r)).toMatch(/power it on/);
  });

  it.each([['Provisioning', /still Provisioning/], ['Deleting', /being deleted/]] as const)('refuses while the cluster is %s', (status, said) => {
    const r = planPoolEdit(facts([cp(1)], [ready('edge-9')], { status }), { action: 'add-worker', hostId: 'edge-9' });
    expect(codes(r)).toEqual(['cluster-not-running']);
    expect(message(r)).toMatch(said);
  });
});

describe('planPoolEdit: remove a worker', () => {
  it('removes a worker and keeps the others in order', () => {
    const r = planPoolEdit(facts([cp(1), worker(2), worker(3)]), { action: 'remove-worker', hostId: 'edge-2' });
    expect(r).toMatchObject({ ok: true, removed: { hostId: 'edge-2' }, added: null });
    expect(r.ok && r.nodes.map((n) => n.hostId)).toEqual(['edge-1', 'edge-3']);
  });

  it('refuses a host that is not a node', () => {
    expect(codes(planPoolEdit(facts([cp(1)]), { action: 'remove-worker', hostId: 'edge-5' }))).toEqual(['not-a-node']);
  });

  it('refuses to remove the only control plane, saying its etcd holds the state', () => {
    const r = planPoolEdit(facts([cp(1), worker(2)]), { action: 'remove-worker', hostId: 'edge-1' });
    expect(codes(r)).toEqual(['last-control-plane']);
    expect(message(r)).toMatch(/only control plane.*etcd/);
  });

  it('refuses to shrink a 3-CP pool, saying it would keep no spare member', () => {
    const r = planPoolEdit(facts([cp(1), cp(2), cp(3)]), { action: 'remove-worker', hostId: 'edge-3' });
    expect(codes(r)).toEqual(['control-plane-removal']);
    expect(message(r)).toMatch(/2 members.*1, 3 or 5.*tolerate 0 failures.*Replace control plane/s);
  });

  it('says the quorum would be lost when another control plane is down', () => {
    const r = planPoolEdit(facts([cp(1), cp(2), cp(3)], [], {}, ['edge-2']), { action: 'remove-worker', hostId: 'edge-3' });
    expect(message(r)).toMatch(/1 of 2 members up and needs 2: the cluster would lose its quorum/);
  });
});

describe('planPoolEdit: replace a control plane', () => {
  const three = [cp(1), cp(2), cp(3), worker(4)];

  it('puts the new host in the dead one\'s place in the pool', () => {
    const r = planPoolEdit(facts(three, [ready('edge-9')], {}, ['edge-2']), { action: 'replace-control-plane', hostId: 'edge-2', replacement: 'edge-9' });
    expect(r).toMatchObject({ ok: true, removed: { hostId: 'edge-2' }, added: { hostId: 'edge-9', role: 'control-plane', lanIp: '10.77.0.19/24' } });
    expect(r.ok && r.nodes.map((n) => `${n.hostId}:${n.role}`)).toEqual(['edge-1:control-plane', 'edge-9:control-plane', 'edge-3:control-plane', 'edge-4:worker']);
  });

  it('refuses when one of the other members is down too: the quorum would be lost', () => {
    const r = planPoolEdit(facts(three, [ready('edge-9')], {}, ['edge-2', 'edge-3']), { action: 'replace-control-plane', hostId: 'edge-2', replacement: 'edge-9' });
    expect(codes(r)).toEqual(['quorum-at-risk']);
    expect(message(r)).toMatch(/1 of 3 etcd members up.*needs 2.*lose its quorum \| bring edge-3 back/);
  });

  it('refuses the only control plane of a cluster', () => {
    expect(codes(planPoolEdit(facts([cp(1), worker(2)], [ready('edge-9')]), { action: 'replace-control-plane', hostId: 'edge-1', replacement: 'edge-9' }))).toEqual(['last-control-plane']);
  });

  it('refuses a worker, and a replacement that is not Ready', () => {
    expect(codes(planPoolEdit(facts(three, [ready('edge-9')]), { action: 'replace-control-plane', hostId: 'edge-4', replacement: 'edge-9' }))).toEqual(['not-a-control-plane']);
    const r = planPoolEdit(facts(three, [inUse('edge-9')], {}, ['edge-2']), { action: 'replace-control-plane', hostId: 'edge-2', replacement: 'edge-9' });
    expect(codes(r)).toEqual(['host-in-use']);
    expect(r.ok ? '' : r.issues[0]!.path).toBe('replacement');
  });
});

describe('nextNodeName', () => {
  it('is the host ID as a DNS label, with a suffix when a node already has that name', () => {
    expect(nextNodeName('Edge_9', ['edge-1'])).toBe('edge-9');
    expect(nextNodeName('edge-1', ['edge-1', 'edge-1-2'])).toBe('edge-1-3');
  });
});
