/**
 * The laid-out cluster as SVG: the lab LAN as a bar across the top, a cable down to each
 * host, each host's name, role, address and status, its etcd member (the leader marked
 * when a member reported one) and the VIP inside the host that holds it, or hanging off the
 * LAN, dashed, while nobody does. Colours come from the picture, not the layout.
 */
import type { ReactNode } from 'react';
import type { ClusterGraph } from './cluster-graph';
import { hostLines, LEADER_TEXT, MEMBER_TEXT } from './cluster-graph';
import type { ClusterPicture, PictureHost } from './cluster-picture';
import type { Box, Drawing } from './drawing';
import { LINE_PX } from './text-size';
import styles from './pictures.module.css';

const NODE_CLASS: Readonly<Record<PictureHost['node'], string | undefined>> = { ready: styles.ready, 'not-ready': styles.notReady, 'not-yet': styles.notYet };

export function ClusterSvg(props: { graph: ClusterGraph; drawing: Drawing; picture: ClusterPicture; label: string }): ReactNode {
  const { graph, drawing, picture } = props;
  const hosts = new Map(picture.hosts.map((h) => [h.hostId, h]));
  const lan = drawing.boxes.find((b) => graph.nodes[b.id]?.kind === 'lan');
  const lanBottom = lan ? lan.y + lan.height : 0;
  const cable = (b: Box, off: boolean, key: string): ReactNode => (
    <line key={key} className={`${styles.cable} ${off ? styles.cableOff : ''}`} x1={b.x + b.width / 2} x2={b.x + b.width / 2} y1={lanBottom} y2={b.y} />
  );
  return (
    <svg
      className={styles.svg}
      viewBox={`0 0 ${Math.ceil(drawing.width)} ${Math.ceil(drawing.height)}`}
      width={Math.ceil(drawing.width)}
      role="img"
      aria-label={props.label}
      data-cluster-picture={picture.name}
    >
      {drawing.boxes.map((b) => {
        const m = graph.nodes[b.id];
        if (!m) return null;
        switch (m.kind) {
          case 'lan':
            return (
              <g key={b.id} className={styles.lan} data-lan>
                <rect x={4} y={b.y} width={drawing.width - 8} height={b.height} rx={4} />
                <text x={14} y={b.y + b.height / 2} dominantBaseline="central">{m.text}</text>
              </g>
            );
          case 'host': {
            const h = hosts.get(m.hostId);
            if (!h) return null;
            const [title, role, status] = hostLines(h);
            const classes = [styles.host, h.power === 'on' ? '' : styles.powerOff, NODE_CLASS[h.node]].filter(Boolean).join(' ');
            return (
              <g key={b.id}>
                {cable(b, h.power !== 'on', `${b.id}:cable`)}
                <g className={classes} data-host={h.hostId} data-lab-host={h.labName ?? ''} data-role={h.role} data-power={h.power} data-node-status={h.node}>
                  <title>{h.failure ? `${title}: ${h.failure}` : title}</title>
                  <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={6} />
                  <text x={b.x + 10} y={b.y + LINE_PX} fontWeight={700}>{title}</text>
                  <text className={styles.detail} x={b.x + 10} y={b.y + 2 * LINE_PX}>{role}</text>
                  <text className={`${styles.detail} ${styles.nodeStatus}`} x={b.x + 10} y={b.y + 3 * LINE_PX}>{status}</text>
                </g>
              </g>
            );
          }
          case 'member': {
            const e = hosts.get(m.hostId)?.etcd;
            if (!e) return null;
            const classes = [styles.member, e.status === 'up' ? '' : styles.memberDown, e.leader ? styles.leader : ''].filter(Boolean).join(' ');
            return (
              <g key={b.id} className={classes} data-etcd-member={m.hostId} data-etcd-status={e.status} data-etcd-leader={e.leader ? 'true' : 'false'}>
                <title>{`etcd member: ${e.status === 'up' ? 'its host is on' : e.status === 'down' ? 'its host is not on' : 'not started yet'}${e.leader ? '; the leader' : ''}`}</title>
                <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={b.height / 2} />
                <text x={b.x + b.width / 2} y={b.y + b.height / 2} textAnchor="middle" dominantBaseline="central">{e.leader ? LEADER_TEXT : MEMBER_TEXT}</text>
              </g>
            );
          }
          case 'vip':
            return (
              <g key={b.id}>
                {m.holder === null ? cable(b, true, `${b.id}:cable`) : null}
                <g className={`${styles.vip} ${m.holder === null ? styles.vipUnheld : ''}`} data-vip={m.holder ?? ''} data-vip-held={m.holder ? 'true' : 'false'}>
                  <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={4} />
                  <text x={b.x + b.width / 2} y={b.y + b.height / 2} textAnchor="middle" dominantBaseline="central">{m.text}</text>
                </g>
              </g>
            );
        }
      })}
    </svg>
  );
}
