/**
 * The cluster drawn live in the cluster overview: laid out by ELK when its shape changes
 * (hosts, members, who holds the VIP; elk-layout.ts caches by shape) and re-coloured on
 * every view (power, Ready, members up). The overview's table and "VIP held by" line
 * stay as the text beside it.
 */
import { useMemo, type ReactNode } from 'react';
import type { ClusterView } from '../../../simulator/pure/palette/views';
import { useLabView } from '../client/hooks';
import { clusterGraph } from './cluster-graph';
import { clusterPicture, etcdLine, pictureSummary } from './cluster-picture';
import { ClusterSvg } from './ClusterSvg';
import { drawingOf } from './drawing';
import { PictureBoundary } from './PictureBoundary';
import { useLayout } from './use-layout';
import styles from './pictures.module.css';

type ClusterPictureProps = { cluster: Pick<ClusterView, 'name' | 'vip' | 'nodes'> };

export function ClusterPicture(props: ClusterPictureProps): ReactNode {
  return <PictureBoundary what="cluster"><Picture {...props} /></PictureBoundary>;
}

function Picture(props: ClusterPictureProps): ReactNode {
  const view = useLabView();
  const picture = useMemo(() => clusterPicture(props.cluster, view?.hosts ?? {}), [props.cluster, view?.hosts]);
  const graph = useMemo(() => clusterGraph(picture), [picture]);
  const layout = useLayout(graph.key, () => graph.graph);
  const drawing = useMemo(() => (layout && !(layout instanceof Error) ? drawingOf(layout) : null), [layout]);
  if (picture.hosts.length === 0) return null;
  if (layout instanceof Error) return <p className={styles.problem} role="status">The cluster could not be drawn: {layout.message}</p>;
  if (!drawing) return <p className={styles.pending} data-cluster-picture-pending>Drawing the cluster…</p>;
  const etcd = etcdLine(picture);
  return (
    <figure className={styles.figure}>
      <div className={styles.scroll}>
        <ClusterSvg graph={graph} drawing={drawing} picture={picture} label={pictureSummary(picture)} />
      </div>
      {etcd ? <figcaption className={styles.caption} data-etcd-line>{etcd}</figcaption> : null}
    </figure>
  );
}
