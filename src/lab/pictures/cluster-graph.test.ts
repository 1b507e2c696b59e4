import { describe, expect, it } from 'vitest';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { clusterGraph, hostNodeId, LAN_ID, memberNodeId, vipNodeId } from './cluster-graph';
import { clusterPicture } from './cluster-picture';
import { haCluster, labHost, RUNNING, VIP } from './cluster-samples';
import { drawingOf, overlaps } from './drawing';
import { layoutFor } from './elk-layout';

const hosts = (holder: number | null, off: number[] = []) =>
  Object.fromEntries([1, 2, 3, 4].map((i) => labHost(i, off.includes(i) ? 'poweredOff' : RUNNING, i === holder ? { vip: VIP } : {})));
const child = (g: ElkNode, id: string) => g.children?.find((c) => c.id === id);
const inner = (g: ElkNode, id: string) => (child(g, id)?.children ?? []).map((c) => c.id);

describe('the cluster as an ELK graph', () => {
  it('hangs every host off the LAN, with its member inside and the VIP inside its holder', () => {
    const g = clusterGraph(clusterPicture(haCluster(), hosts(2)));
    expect(g.graph.children?.[0]?.id).toBe(LAN_ID);
    expect(g.graph.edges?.map((e) => [e.sources[0], e.targets[0]])).toEqual([1, 2, 3, 4].map((i) => [LAN_ID, hostNodeId(`edge-host-${i}`)]));
    expect(inner(g.graph, hostNodeId('edge-host-2'))).toEqual([memberNodeId('edge-host-2'), vipNodeId('edge-host-2')]);
    expect(inner(g.graph, hostNodeId('edge-host-1'))).toEqual([memberNodeId('edge-host-1')]);
    expect(child(g.graph, vipNodeId(null))).toBeUndefined();
  });

  it('draws a worker without an etcd member', () => {
    const g = clusterGraph(clusterPicture(haCluster(), hosts(2)));
    const worker = child(g.graph, hostNodeId('edge-host-4'));
    expect(worker?.children).toBeUndefined();
    expect(worker?.width).toBeGreaterThan(0);
    expect(g.nodes[memberNodeId('edge-host-4')]).toBeUndefined();
  });

  it('puts an unheld VIP on the LAN on its own', () => {
    const g = clusterGraph(clusterPicture(haCluster(), hosts(null)));
    expect(g.nodes[vipNodeId(null)]).toEqual({ kind: 'vip', holder: null, text: `VIP ${VIP} · not held` });
    expect(g.graph.edges?.some((e) => e.sources[0] === LAN_ID && e.targets[0] === vipNodeId(null))).toBe(true);
    for (const i of [1, 2, 3, 4]) expect(inner(g.graph, hostNodeId(`edge-host-${i}`))).not.toContain(vipNodeId(`edge-host-${i}`));
  });

  it('lays out again when the VIP moves, not when power or Ready change', () => {
    const base = clusterGraph(clusterPicture(haCluster(), hosts(2))).key;
    expect(clusterGraph(clusterPicture(haCluster(), hosts(2, [1, 4]))).key).toBe(base);
    expect(clusterGraph(clusterPicture(haCluster(), hosts(3))).key).not.toBe(base);
    expect(clusterGraph(clusterPicture(haCluster(), hosts(null))).key).not.toBe(base);
  });

  it('is laid out by elkjs with the LAN above hosts that do not overlap, badges inside their host', async () => {
    const g = clusterGraph(clusterPicture(haCluster(), hosts(2)));
    const d = drawingOf(await layoutFor(g.key, () => g.graph));
    const lan = d.boxes.find((b) => b.id === LAN_ID)!;
    const top = d.boxes.filter((b) => b.parent === null && b.id !== LAN_ID);
    expect(top.map((b) => b.id)).toEqual([1, 2, 3, 4].map((i) => hostNodeId(`edge-host-${i}`)));
    for (const b of top) expect(b.y).toBeGreaterThanOrEqual(lan.y + lan.height);
    for (const a of top) for (const b of top) if (a.id < b.id) expect(overlaps(a, b), `${a.id} and ${b.id}`).toBe(false);
    const host2 = d.boxes.find((b) => b.id === hostNodeId('edge-host-2'))!;
    const vip = d.boxes.find((b) => b.id === vipNodeId('edge-host-2'))!;
    const member = d.boxes.find((b) => b.id === memberNodeId('edge-host-2'))!;
    expect(vip.parent).toBe(host2.id);
    expect(overlaps(vip, member)).toBe(false);
    expect(vip.x >= host2.x && vip.y >= host2.y && vip.x + vip.width <= host2.x + host2.width && vip.y + vip.height <= host2.y + host2.height).toBe(true);
  });
});
