/**
 * The cluster's "Upgrade to version …" control (Day-2, reference §8): applies a newer version of
 * the cluster's profile; Palette then repaves the hosts one at a time (pure/palette/upgrade.ts).
 */
import { useState, type ReactNode } from 'react';
import { useLabContext } from '../../client';
import { callLabRoute } from '../../client/lab-api';
import { useLabResource } from '../../client/use-lab-resource';
import { PALETTE_ROUTES } from '../../../../simulator/pure/protocol/http-routes';
import type { ClusterView } from '../../../../simulator/pure/palette/views';
import { Problem } from './Issues';
import { upgradeChoices, upgradeText } from './upgrade-view';
import styles from './palette.module.css';

export function UpgradeCluster(props: { cluster: ClusterView }): ReactNode {
  const c = props.cluster;
  const lab = useLabContext();
  const { outcome } = useLabResource(PALETTE_ROUTES.profiles);
  const choices = outcome?.ok ? upgradeChoices(c, outcome.value.profiles) : [];
  const [picked, setPicked] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const version = choices.some((x) => x.version === picked) ? picked : (choices[0]?.version ?? '');
  const text = upgradeText(c);
  const apply = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const r = await callLabRoute(lab.session, PALETTE_ROUTES.upgradeCluster, { params: { name: c.name }, body: { profile: { id: c.profile.name, version } } });
    setBusy(false);
    if (!r.ok) setProblem(`Cluster ${c.name} was not upgraded: ${r.message}`);
  };
  return (
    <div className={styles.actions} data-cluster-upgrade={c.upgrade?.state ?? ''}>
      {text ? <p className={c.upgrade?.state === 'failed' ? styles.failureCell : styles.muted} data-upgrade-text>{text}</p> : null}
      {c.status === 'Running' && choices.length > 0 ? (
        <>
          <label>
            Upgrade to version{' '}
            <select value={version} onChange={(e) => setPicked(e.target.value)} disabled={busy} data-upgrade-version>
              {choices.map((x) => <option key={x.version} value={x.version}>{x.label}</option>)}
            </select>
          </label>
          <button type="button" className="button button--primary button--outline button--sm" disabled={busy || version === ''} onClick={() => void apply()}>
            {busy ? 'Starting…' : `Upgrade to ${version}`}
          </button>
        </>
      ) : null}
      {c.status === 'Running' && outcome?.ok && choices.length === 0 ? (
        <span className={styles.muted}>To upgrade, save a newer version of profile {c.profile.name}.</span>
      ) : null}
      <Problem message={problem} />
    </div>
  );
}
