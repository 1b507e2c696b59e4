/**
 * Day-2 on a Running cluster (reference §8, Nodes tab › Edit pool): add a Ready host to the
 * worker pool, remove a worker, replace a control-plane host with a Ready one. Palette checks
 * each edit and refuses with its reasons, shown under the controls. The lists come from the
 * cluster and the Edge Hosts grid (node-pools.ts) and refresh on Palette's events.
 */
import { useState, type ReactNode } from 'react';
import { useLabContext } from '../../client';
import { callLabRoute, type FieldIssue } from '../../client/lab-api';
import { useLabResource } from '../../client/use-lab-resource';
import { PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import type { ClusterView } from '../../../../simulator/pure/palette/views';
import { IssueList, Problem } from './Issues';
import { poolChoices } from './node-pools';
import styles from './palette.module.css';

type Outcome = { ok: true } | { ok: false; message: string; issues: readonly FieldIssue[] };

function Pick(props: { label: string; value: string; options: readonly string[]; onChange: (v: string) => void; empty: string }): ReactNode {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)} disabled={props.options.length === 0}>
        {props.options.length === 0 ? <option value="">{props.empty}</option> : null}
        {props.options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </label>
  );
}

export function NodePoolControls(props: { cluster: ClusterView }): ReactNode {
  const lab = useLabContext();
  const { outcome: grid } = useLabResource(PALETTE_ROUTES.edgeHosts);
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ what: string; outcome: Outcome } | null>(null);
  if (!grid?.ok) return null;
  const choices = poolChoices(props.cluster, grid.value.hosts);
  if (!choices.editable) return null;
  const name = props.cluster.name;
  // A choice no longer offered (the host joined, left) falls back to the first one that is.
  const value = (key: string, options: readonly string[]): string => (options.includes(picked[key] ?? '') ? picked[key]! : options[0] ?? '');
  const set = (key: string) => (v: string) => setPicked((p) => ({ ...p, [key]: v }));
  const [addId, removeId, oldCp, newCp] = [value('add', choices.ready), value('remove', choices.workers), value('old', choices.controlPlanes), value('new', choices.ready)];

  const act = async (what: string, call: () => Promise<{ ok: boolean; message?: string; issues?: readonly FieldIssue[] }>): Promise<void> => {
    setBusy(true);
    setResult(null);
    const r = await call();
    setBusy(false);
    setResult({ what, outcome: r.ok ? { ok: true } : { ok: false, message: r.message ?? 'refused', issues: r.issues ?? [] } });
  };

  return (
    <fieldset className={styles.actions} data-node-pools={name} disabled={busy}>
      <legend>Node pools (Day-2)</legend>
      <div>
        <Pick label="Add to the worker pool:" value={addId} options={choices.ready} onChange={set('add')} empty="no Ready host" />{' '}
        <button type="button" className="button button--primary button--sm" disabled={addId === ''} data-action="add-worker"
          onClick={() => void act(`Adding ${addId}`, () => callLabRoute(lab.session, PALETTE_ROUTES.addWorker, { params: { name }, body: { hostId: addId } }))}>Add worker</button>
      </div>
      <div>
        <Pick label="Remove from the worker pool:" value={removeId} options={choices.workers} onChange={set('remove')} empty="no worker" />{' '}
        <button type="button" className="button button--danger button--outline button--sm" disabled={removeId === ''} data-action="remove-worker"
          onClick={() => void act(`Removing ${removeId}`, () => callLabRoute(lab.session, PALETTE_ROUTES.removeWorker, { params: { name, hostId: removeId } }))}>Remove worker</button>
        <span className={styles.muted}> The host resets at its next heartbeat and is Ready again.</span>
      </div>
      {choices.controlPlanes.length > 1 ? (
        <div>
          <Pick label="Replace control plane" value={oldCp} options={choices.controlPlanes} onChange={set('old')} empty="none" />{' '}
          <Pick label="with" value={newCp} options={choices.ready} onChange={set('new')} empty="no Ready host" />{' '}
          <button type="button" className="button button--warning button--sm" disabled={oldCp === '' || newCp === ''} data-action="replace-control-plane"
            onClick={() => void act(`Replacing ${oldCp} with ${newCp}`, () => callLabRoute(lab.session, PALETTE_ROUTES.replaceControlPlane, { params: { name }, body: { hostId: oldCp, replacement: newCp } }))}>Replace</button>
          <span className={styles.muted}> The cluster removes the old etcd member; the new host joins as a member.</span>
        </div>
      ) : null}
      {result?.outcome.ok ? <p role="status" data-pool-edit="ok">{result.what}: accepted. Follow it in the Events below.</p> : null}
      {result && !result.outcome.ok ? (
        <>
          <Problem message={`${result.what} was refused: ${result.outcome.message}`} />
          <IssueList issues={result.outcome.issues} />
        </>
      ) : null}
    </fieldset>
  );
}
