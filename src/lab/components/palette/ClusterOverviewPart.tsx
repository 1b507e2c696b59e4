/**
 * Palette's cluster Overview (reference §6 "Statuses"): each cluster's status, health, profile,
 * VIP and nodes with their provisioning step, and its Events tab, refreshed on palette.* events.
 */
import { useState, type ReactNode } from 'react';
import { useLabContext } from '../../client';
import { callLabRoute } from '../../client/lab-api';
import { PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import { useLabResource } from '../../client/use-lab-resource';
import type { ClusterDetail, ClusterView } from '../../../../simulator/pure/palette/views';
import { clusterSummary, eventsNewestFirst, healthLabel, NO_CLUSTER_TEXT, nodeCells, vipHolderText } from './cluster-view';
import { useLabView } from '../../client/hooks';
import { badgeClass, clockTime } from './format';
import { Problem, Words } from './Issues';
import { ClusterPicture } from '../../pictures/ClusterPicture';
import { NodePoolControls } from './NodePoolControls';
import { UpgradeCluster } from './UpgradeCluster';
import styles from './palette.module.css';

export function ClusterOverviewPart(): ReactNode {
  const { outcome } = useLabResource(PALETTE_ROUTES.clusters);
  let body: ReactNode;
  if (!outcome) body = <p className={styles.muted}>Loading the clusters…</p>;
  else if (!outcome.ok) body = <Problem message={`The clusters did not load: ${outcome.message}`} />;
  else if (outcome.value.clusters.length === 0) body = <p className={styles.empty} data-no-cluster>{NO_CLUSTER_TEXT}</p>;
  else body = outcome.value.clusters.map((c) => <ClusterCard key={c.name} name={c.name} listed={c} />);
  return (
    <div className={styles.palette} data-palette-part="cluster-overview">
      <h3 className={styles.title}>Clusters</h3>
      {body}
    </div>
  );
}

function ClusterCard(props: { name: string; listed: ClusterView }): ReactNode {
  const { outcome } = useLabResource(PALETTE_ROUTES.cluster, { params: { name: props.name } });
  // The list's copy shows at once; the detail (with the Events) replaces it when it arrives.
  const c: ClusterView | ClusterDetail = outcome?.ok ? outcome.value.cluster : props.listed;
  const events = outcome?.ok ? eventsNewestFirst(outcome.value.cluster.events) : null;
  const view = useLabView();
  const vipHolder = view ? vipHolderText(c, view.hosts) : null;
  return (
    <article className={styles.cluster} data-cluster={c.name} data-status={c.status} data-health={c.health ?? ''} aria-label={`Cluster ${c.name}`}>
      <h4 className={styles.subtitle}>
        {c.name}{' '}
        <span className={badgeClass(c.status)} data-cluster-status>{c.status}</span>{' '}
        <span className={badgeClass(c.health)} data-cluster-health>Health: {healthLabel(c.health)}</span>
      </h4>
      <dl className={styles.summary}>
        {clusterSummary(c).map(([k, v]) => <div key={k} className={styles.reviewRow}><dt>{k}</dt><dd>{v}</dd></div>)}
        {vipHolder !== null ? <div className={styles.reviewRow}><dt>VIP held by</dt><dd data-vip-holder>{vipHolder}</dd></div> : null}
      </dl>
      <ClusterPicture cluster={c} />
      <div className={styles.tableWrap} role="region" aria-label={`Nodes of ${c.name}`} tabIndex={0}>
        <table className={`table ${styles.table}`}>
          <caption className={styles.caption}>Nodes</caption>
          <thead>
            <tr><th scope="col">Host ID</th><th scope="col">Node</th><th scope="col">Role</th><th scope="col">LAN IP</th><th scope="col">Current step</th><th scope="col">Failure</th></tr>
          </thead>
          <tbody>
            {c.nodes.map((n) => {
              const cells = nodeCells(n);
              return (
                <tr key={n.hostId} data-node={n.hostId} data-step={n.step ?? ''} data-failed={n.failure ? 'true' : 'false'}>
                  <th scope="row"><code>{cells.hostId}</code></th>
                  <td>{cells.nodeName}</td>
                  <td>{cells.role}</td>
                  <td>{cells.lanIp}</td>
                  <td>{cells.step}</td>
                  <td className={n.failure ? styles.failureCell : undefined}>{cells.failure}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <NodePoolControls cluster={c} />
      <UpgradeCluster cluster={c} />
      {c.status !== 'Deleting' ? <DeleteCluster name={c.name} /> : (
        <p className={styles.muted} data-cluster-deleting>Deleting: each host resets at its next heartbeat (a powered-off host when it is powered on) and is Ready again; the cluster goes with the last one.</p>
      )}
      <h5 className={styles.eventsTitle}>Events</h5>
      {outcome && !outcome.ok ? <Problem message={`The events did not load: ${outcome.message}`} /> : null}
      {events === null && !(outcome && !outcome.ok) ? <p className={styles.muted}>Loading the events…</p> : null}
      {events && events.length === 0 ? <p className={styles.empty}>No events yet.</p> : null}
      {events && events.length > 0 ? (
        <ol className={styles.events} aria-label={`Events of ${c.name}, newest first`} data-cluster-events>
          {events.map((e, i) => (
            <li key={`${e.at}-${i}`} className={styles[`event_${e.severity}`]} data-severity={e.severity}>
              <time dateTime={new Date(e.at).toISOString()} className={styles.eventTime}>{clockTime(e.at)}</time>{' '}
              <span className={styles.eventSeverity}>{e.severity}</span>{' '}
              <Words text={e.message} />
            </li>
          ))}
        </ol>
      ) : null}
    </article>
  );
}

/** Settings › Delete Cluster, with the product's confirmation: the hosts reset, which wipes their cluster. */
function DeleteCluster(props: { name: string }): ReactNode {
  const lab = useLabContext();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const remove = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.deleteCluster, { params: { name: props.name } });
    setBusy(false);
    setAsking(false);
    if (!r.ok) setProblem(`Cluster ${props.name} was not deleted: ${r.message}`);
  };
  return (
    <div className={styles.actions}>
      {asking ? (
        <>
          <span role="alert">Delete cluster {props.name}? Its hosts reset: their workloads, cluster state and provider OS are wiped; their user data and registration stay.</span>
          <button type="button" className="button button--danger button--sm" disabled={busy} onClick={() => void remove()}>{busy ? 'Deleting…' : `Delete ${props.name}`}</button>
          <button type="button" className="button button--secondary button--sm" disabled={busy} onClick={() => setAsking(false)}>Cancel</button>
        </>
      ) : (
        <button type="button" className="button button--danger button--outline button--sm" onClick={() => setAsking(true)}>Delete cluster</button>
      )}
      <Problem message={problem} />
    </div>
  );
}
