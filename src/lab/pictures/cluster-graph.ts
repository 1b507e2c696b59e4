/**
 * The cluster picture (cluster-picture.ts) as an ELK graph: the lab LAN on top, a node per
 * host below it (a container when it holds something: its etcd member, the VIP), and the
 * VIP on its own under the LAN while nobody holds it. Pure.
 *
 * The layout depends only on what is where: the hosts, their roles, which run a member and
 * who holds the VIP (`key`). Power, Ready and member status change the colours only, so the
 * header of a host reserves room for its longest status line.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { NODE_WORDS, POWER_WORDS, type ClusterPicture, type PictureHost } from './cluster-picture';
import { LINE_PX, textWidth, wordsWidth } from './text-size';

export type ClusterNodeMeta =
  | { readonly kind: 'lan'; readonly text: string }
  | { readonly kind: 'host'; readonly hostId: string }
  | { readonly kind: 'member'; readonly hostId: string }
  | { readonly kind: 'vip'; readonly holder: string | null; readonly text: string };

export interface ClusterGraph {
  readonly key: string;
  readonly graph: ElkNode;
  readonly nodes: Readonly<Record<string, ClusterNodeMeta>>;
}

export const LAN_ID = 'lan';
export const hostNodeId = (hostId: string): string => `host:${hostId}`;
export const memberNodeId = (hostId: string): string => `etcd:${hostId}`;
export const vipNodeId = (holder: string | null): string => (holder ? `vip:${holder}` : 'vip:unheld');

export const lanText = (): string => 'lab LAN';
export const MEMBER_TEXT = 'etcd member';
export const LEADER_TEXT = '★ etcd leader';
export const vipText = (vip: string, held: boolean): string => (held ? `VIP ${vip}` : `VIP ${vip} · not held`);

/** A host's header lines: its name, role and address, then its status. */
export function hostLines(h: PictureHost): [string, string, string] {
  return [
    h.labName && h.labName !== h.hostId ? `${h.labName} (${h.hostId})` : h.hostId,
    `${h.role === 'control-plane' ? 'control plane' : 'worker'}${h.lanIp ? ` · ${h.lanIp}` : ''}`,
    statusLine(h.power, h.node),
  ];
}

export const statusLine = (power: PictureHost['power'], node: PictureHost['node']): string => `power ${POWER_WORDS[power]} · node ${NODE_WORDS[node]}`;

/** The widest status line any host could show: its header is sized for it. */
const WIDEST_STATUS = Math.max(
  ...(Object.keys(POWER_WORDS) as PictureHost['power'][]).flatMap((p) =>
    (Object.keys(NODE_WORDS) as PictureHost['node'][]).map((n) => wordsWidth(statusLine(p, n)))),
);

const PAD = 10;
const BADGE_H = 26;
const HEADER_H = 3 * LINE_PX + 10;

const ROOT_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  // No edge enters a host: each host's inside is laid out on its own (its badges side by side).
  'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
  'elk.json.edgeCoords': 'ROOT',
  'elk.json.shapeCoords': 'ROOT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '16',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.padding': '[top=8,left=8,bottom=8,right=8]',
  // Keep the hosts in the order given (control plane first), rather than minimising crossings that do not exist.
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

export function clusterGraph(p: ClusterPicture): ClusterGraph {
  const nodes: Record<string, ClusterNodeMeta> = {};
  const edges: ElkExtendedEdge[] = [];
  const children: ElkNode[] = [];
  const badge = (id: string, text: string): ElkNode => ({ id, width: textWidth(text) + 2 * PAD, height: BADGE_H });

  nodes[LAN_ID] = { kind: 'lan', text: lanText() };
  children.push({ id: LAN_ID, width: textWidth(lanText()) + 4 * PAD, height: BADGE_H });

  for (const h of p.hosts) {
    const id = hostNodeId(h.hostId);
    nodes[id] = { kind: 'host', hostId: h.hostId };
    const inner: ElkNode[] = [];
    if (h.etcd) {
      nodes[memberNodeId(h.hostId)] = { kind: 'member', hostId: h.hostId };
      inner.push(badge(memberNodeId(h.hostId), LEADER_TEXT));
    }
    if (p.vip && p.vipHolders.includes(h.hostId)) {
      nodes[vipNodeId(h.hostId)] = { kind: 'vip', holder: h.hostId, text: vipText(p.vip, true) };
      inner.push(badge(vipNodeId(h.hostId), vipText(p.vip, true)));
    }
    const [title, role] = hostLines(h);
    const headerWidth = Math.max(textWidth(title), wordsWidth(role), WIDEST_STATUS) + 2 * PAD;
    children.push(inner.length === 0 ? { id, width: headerWidth, height: HEADER_H + PAD } : {
      id,
      layoutOptions: {
        'elk.padding': `[top=${HEADER_H + 4},left=${PAD},bottom=${PAD},right=${PAD}]`,
        'elk.nodeSize.constraints': 'MINIMUM_SIZE',
        'elk.nodeSize.minimum': `(${headerWidth}, ${HEADER_H + BADGE_H + 2 * PAD})`,
        'elk.direction': 'RIGHT',
        'elk.spacing.nodeNode': '10',
      },
      children: inner,
    });
    edges.push({ id: `cable:${h.hostId}`, sources: [LAN_ID], targets: [id] });
  }

  if (p.vip && p.vipHolders.length === 0) {
    const id = vipNodeId(null);
    nodes[id] = { kind: 'vip', holder: null, text: vipText(p.vip, false) };
    children.push(badge(id, vipText(p.vip, false)));
    edges.push({ id: 'cable:vip', sources: [LAN_ID], targets: [id] });
  }

  const shape = {
    hosts: p.hosts.map((h) => [h.hostId, h.labName, h.role, h.lanIp, h.etcd !== null]),
    vip: p.vip,
    holders: p.vipHolders,
  };
  return { key: `cluster:${JSON.stringify(shape)}`, graph: { id: `cluster:${p.name}`, layoutOptions: { ...ROOT_OPTIONS }, children, edges }, nodes };
}
