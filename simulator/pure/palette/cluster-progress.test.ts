import { describe, expect, it } from 'vitest';
import { PROVISIONING_STEPS } from '../machines/provisioning';
import { applyReport, clusterHealth, etcdQuorum, unhealthyReasons, type NodeProgress } from './cluster-progress';

const FACTS = { cluster: 'store-42', distribution: 'k3s', image: 'registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab' };
const node = (hostId: string, over: Partial<NodeProgress> = {}): NodeProgress => ({ hostId, nodeName: hostId, role: 'control-plane', step: null, failure: null, ...over });

describe('applyReport', () => {
  it('records each new step with a human event line', () => {
    const r = applyReport('Provisioning', [node('edge-1')], { hostId: 'edge-1', step: 'image-pulled' }, FACTS);
    expect(r).toMatchObject({ status: 'Provisioning', change: 'step', nodes: [{ step: 'image-pulled' }] });
    expect(r.notes).toEqual([{ severity: 'info', message: `Edge host edge-1: pulled the provider image ${FACTS.image}` }]);
  });

  it('ignores a step the node has already passed', () => {
    const r = applyReport('Provisioning', [node('edge-1', { step: 'stages-run' })], { hostId: 'edge-1', step: 'image-pulled' }, FACTS);
    expect(r).toMatchObject({ change: 'none', notes: [], nodes: [{ step: 'stages-run' }] });
  });

  it('turns Running once every node is ready', () => {
    let nodes = [node('edge-1'), node('edge-2', { role: 'worker' })];
    let status: 'Provisioning' | 'Running' = 'Provisioning';
    for (const hostId of ['edge-1', 'edge-2']) {
      for (const step of PROVISIONING_STEPS) {
        const r = applyReport(status, nodes, { hostId, step }, FACTS);
        nodes = r.nodes;
        status = r.status as typeof status;
      }
      expect(status).toBe(hostId === 'edge-1' ? 'Provisioning' : 'Running');
    }
    expect(applyReport('Provisioning', nodes.map((n) => ({ ...n })), { hostId: 'edge-2', step: 'node-ready' }, FACTS).notes.at(-1)?.message).toBe('All 2 nodes are Ready: cluster store-42 is Running');
  });

  it('keeps a failure until the node reports a step again; the same failure twice is one event', () => {
    const failed = applyReport('Provisioning', [node('edge-1', { step: 'image-pulled' })], { hostId: 'edge-1', step: 'failed', reason: 'sha256 mismatch' }, FACTS);
    expect(failed).toMatchObject({ change: 'failure', status: 'Provisioning', nodes: [{ failure: 'sha256 mismatch' }] });
    expect(failed.notes).toEqual([{ severity: 'error', message: 'Provisioning failed on edge host edge-1: sha256 mismatch' }]);
    expect(clusterHealth('Provisioning', failed.nodes, new Set())).toBe('Unhealthy');
    expect(applyReport('Provisioning', failed.nodes, { hostId: 'edge-1', step: 'failed', reason: 'sha256 mismatch' }, FACTS).change).toBe('none');
    const retry = applyReport('Provisioning', failed.nodes, { hostId: 'edge-1', step: 'image-pulled' }, FACTS);
    expect(retry).toMatchObject({ change: 'step', nodes: [{ failure: null, step: 'image-pulled' }] });
    expect(clusterHealth('Provisioning', retry.nodes, new Set())).toBeNull();
  });

  it('ignores a host that is not a node of the cluster', () => {
    expect(applyReport('Provisioning', [node('edge-1')], { hostId: 'edge-9', step: 'node-ready' }, FACTS)).toMatchObject({ change: 'none', notes: [] });
  });
});

describe('clusterHealth', () => {
  it('is unknown while provisioning and deleting, and follows host health when Running', () => {
    const nodes = [node('edge-1', { step: 'node-ready' })];
    expect(clusterHealth('Provisioning', nodes, new Set())).toBeNull();
    expect(clusterHealth('Deleting', nodes, new Set(['edge-1']))).toBeNull();
    expect(clusterHealth('Running', nodes, new Set())).toBe('Healthy');
    expect(clusterHealth('Running', nodes, new Set(['edge-1']))).toBe('Unhealthy');
  });
});

describe('etcd quorum in the cluster health', () => {
  const cp = (hostId: string): NodeProgress => ({ hostId, nodeName: hostId, role: 'control-plane', step: 'node-ready', failure: null });
  const worker: NodeProgress = { hostId: 'w', nodeName: 'w', role: 'worker', step: 'node-ready', failure: null };
  const ha = [cp('a'), cp('b'), cp('c'), worker];

  it('holds with two of three members up, and is lost with one', () => {
    expect(etcdQuorum(ha, new Set(['a']))).toEqual({ members: 3, up: 2, quorum: true });
    expect(etcdQuorum(ha, new Set(['a', 'b']))).toEqual({ members: 3, up: 1, quorum: false });
    expect(etcdQuorum(ha, new Set(['w']))).toEqual({ members: 3, up: 3, quorum: true });
  });

  it('names the quorum first in the reasons, and not at all when no member is lost or there is one member', () => {
    expect(unhealthyReasons(ha, new Set(['a']))).toEqual(['etcd keeps its quorum (2 of 3 control-plane members up)', 'edge host a is Unhealthy']);
    expect(unhealthyReasons(ha, new Set(['a', 'b']))[0]).toMatch(/^etcd quorum lost \(1 of 3 control-plane members up\)/);
    expect(unhealthyReasons(ha, new Set(['w']))).toEqual(['edge host w is Unhealthy']);
    expect(unhealthyReasons([cp('a'), worker], new Set(['a']))).toEqual(['edge host a is Unhealthy']);
  });
});
