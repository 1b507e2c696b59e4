import { describe, expect, it } from 'vitest';
import { clusterPicture, etcdLine, pictureSummary } from './cluster-picture';
import { haCluster, labHost, RUNNING, VIP } from './cluster-samples';

const allRunning = (extra: Record<number, Record<string, unknown>> = {}) =>
  Object.fromEntries([1, 2, 3, 4].map((i) => labHost(i, RUNNING, extra[i] ?? {})));

describe('the cluster picture from the overview\'s data', () => {
  it('puts the control plane first and gives each node its role, power and Ready', () => {
    const p = clusterPicture(haCluster(), allRunning());
    expect(p.hosts.map((h) => [h.hostId, h.role, h.power, h.node])).toEqual([
      ['edge-host-1', 'control-plane', 'on', 'ready'],
      ['edge-host-2', 'control-plane', 'on', 'ready'],
      ['edge-host-3', 'control-plane', 'on', 'ready'],
      ['edge-host-4', 'worker', 'on', 'ready'],
    ]);
    expect(p.hosts[0]?.labName).toBe('edge-host-1');
  });

  it('attaches the VIP to the host that reports holding it', () => {
    const p = clusterPicture(haCluster(), allRunning({ 2: { vip: VIP } }));
    expect(p.vip).toBe(VIP);
    expect(p.vipHolders).toEqual(['edge-host-2']);
    expect(p.hosts.filter((h) => h.holdsVip).map((h) => h.hostId)).toEqual(['edge-host-2']);
    expect(pictureSummary(p)).toContain(`the VIP ${VIP} held by edge-host-2`);
  });

  it('shows the VIP unheld when no host of the cluster holds it (another address does not count)', () => {
    const p = clusterPicture(haCluster(), allRunning({ 2: { vip: '10.77.0.200' } }));
    expect(p.vipHolders).toEqual([]);
    expect(pictureSummary(p)).toContain('held by nobody');
  });

  it('has no VIP when the cluster has none', () => {
    expect(clusterPicture({ ...haCluster(), vip: '' }, allRunning({ 2: { vip: VIP } })).vip).toBeNull();
  });

  it('calls a node NotReady once it was Ready and its host is off, and not yet before', () => {
    const hosts = { ...allRunning(), ...Object.fromEntries([labHost(1, 'poweredOff')]) };
    const ready = clusterPicture(haCluster(), hosts);
    expect(ready.hosts[0]).toMatchObject({ hostId: 'edge-host-1', power: 'off', node: 'not-ready' });
    expect(ready.hosts[1]).toMatchObject({ power: 'on', node: 'ready' });
    const early = clusterPicture(haCluster('runtime-started'), { ...hosts, ...Object.fromEntries([labHost(2, { powered: { paired: { lifecycle: 'provisioning', health: 'healthy' } } })]) });
    expect(early.hosts[0]?.node).toBe('not-yet');
    expect(early.hosts[1]?.node).toBe('not-yet');
  });

  it('gives a member to each control-plane node and none to a worker', () => {
    const p = clusterPicture(haCluster(), { ...allRunning(), ...Object.fromEntries([labHost(1, 'poweredOff')]) });
    expect(p.hosts.map((h) => h.etcd?.status ?? null)).toEqual(['down', 'up', 'up', null]);
    expect(p.etcd).toEqual({ members: 3, up: 2, quorum: 2, leaderKnown: false });
    expect(etcdLine(p)).toBe('etcd: 2 of 3 members up; a quorum is 2 (kept); no member has reported a leader');
    const before = clusterPicture(haCluster('image-pulled'), allRunning());
    expect(before.hosts.map((h) => h.etcd?.status ?? null)).toEqual(['not-yet', 'not-yet', 'not-yet', null]);
  });

  it('says the quorum is lost with one member of three up', () => {
    const p = clusterPicture(haCluster(), { ...allRunning(), ...Object.fromEntries([labHost(1, 'poweredOff'), labHost(2, 'poweringOn')]) });
    expect(p.hosts[1]?.power).toBe('starting');
    expect(etcdLine(p)).toMatch(/^etcd: 1 of 3 members up; a quorum is 2 \(lost\)/);
  });

  it('marks the member a running member reports as its leader, and ignores reports from members that are down', () => {
    const p = clusterPicture(haCluster(), allRunning({ 2: { etcdLeader: '10.77.0.13' }, 3: { etcdLeader: '10.77.0.13' } }));
    expect(p.hosts.map((h) => h.etcd?.leader ?? null)).toEqual([false, false, true, null]);
    expect(p.etcd?.leaderKnown).toBe(true);
    expect(etcdLine(p)).not.toContain('leader');
    const stale = clusterPicture(haCluster(), { ...allRunning(), ...Object.fromEntries([labHost(1, 'poweredOff', { etcdLeader: '10.77.0.12' })]) });
    expect(stale.hosts.map((h) => h.etcd?.leader ?? null)).toEqual([false, false, false, null]);
  });

  it('draws a node no lab host matches with its power not known', () => {
    const p = clusterPicture(haCluster(), {});
    expect(p.hosts.every((h) => h.power === 'unknown' && h.labName === null)).toBe(true);
    expect(p.hosts[0]?.node).toBe('not-ready');
  });
});
