/**
 * The lab registry (<LabPart part="registry" />): the provider images the hosts download while they
 * provision, each with its digest and whether the registry serves it whole. With `drills` it also
 * offers the registry drill's break (a damaged copy, simulator/palette/registry-faults.ts); its fix,
 * Push the provider image again, shows wherever the part is while the damage stands.
 */
import { useState, type ReactNode } from 'react';
import { useLabContext } from '../client';
import { PALETTE_ROUTES } from '../../../simulator/pure/protocol/http-routes';
import { callLabRoute } from '../client/lab-api';
import { useLabResource } from '../client/use-lab-resource';
import type { RegistryImage } from '../../../simulator/pure/palette/views';
import type { LabPartProps } from '../part-names';
import { relativeTime } from './palette/format';
import { Problem } from './palette/Issues';
import styles from './palette/palette.module.css';

const shortDigest = (digest: string): string => `${digest.slice(0, 'sha256:'.length + 12)}…`;
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function RegistryPart(props: Partial<LabPartProps>): ReactNode {
  const lab = useLabContext();
  const { outcome, reload } = useLabResource(PALETTE_ROUTES.registry);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const act = async (image: RegistryImage, what: 'damage' | 'push'): Promise<void> => {
    setBusy(image.repository);
    setProblem(null);
    const route = what === 'damage' ? PALETTE_ROUTES.damageRegistryImage : PALETTE_ROUTES.pushRegistryImage;
    const r = await callLabRoute(lab.session, route, { params: { repository: image.repository }, body: {} });
    setBusy(null);
    if (!r.ok) setProblem(`${what === 'damage' ? 'The image was not damaged' : 'The image was not pushed'}: ${r.message}`);
    reload();
  };

  let body: ReactNode;
  if (!outcome) body = <p className={styles.muted}>Loading the lab registry…</p>;
  else if (!outcome.ok) body = <Problem message={`The lab registry did not load: ${outcome.message}`} />;
  else {
    const now = Date.now();
    body = (
      <div className={styles.tableWrap} role="region" aria-label="Provider images in the lab registry" tabIndex={0}>
        <table className={`table ${styles.table}`}>
          <thead><tr><th scope="col">Repository</th><th scope="col">Digest</th><th scope="col">Size</th><th scope="col">Served</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {outcome.value.images.map((i) => (
              <tr key={i.repository} data-registry-image={i.repository} data-damaged={String(i.damaged)}>
                <td><code>{i.repository}</code></td>
                <td><code title={i.digest}>{shortDigest(i.digest)}</code></td>
                <td>{megabytes(i.size)}</td>
                <td>{i.damaged ? <strong>a damaged copy (since {relativeTime(i.damagedAt, now)})</strong> : 'whole, as pushed'}</td>
                <td>
                  {i.damaged ? (
                    <button type="button" className="button button--primary button--sm" data-action="push-image" disabled={busy !== null} onClick={() => void act(i, 'push')}>
                      Push the provider image again
                    </button>
                  ) : props.drills ? (
                    <button type="button" className="button button--secondary button--sm" data-action="damage-image" disabled={busy !== null} onClick={() => void act(i, 'damage')}>
                      Damage the image in the registry
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <div className={styles.palette} data-lab-part="registry">
      <h3 className={styles.title}>Lab registry</h3>
      {body}
      <Problem message={problem} />
    </div>
  );
}
