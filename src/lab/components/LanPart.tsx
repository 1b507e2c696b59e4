/**
 * The lab LAN (<LabPart part="lan" />): its addresses, the site's time server, and the other machines
 * the VIP clash drill puts there (simulator/labs/lab-lan.ts). With `drills` it offers to put a
 * machine on an address (the cluster's VIP by default) and to switch the time server off; taking a
 * machine off and switching the time server back on show wherever the part is.
 */
import { useState, type ReactNode } from 'react';
import { useLabContext } from '../client';
import { LAB_ROUTES } from '../../../simulator/pure/protocol/http-routes';
import { findScenario } from '../../../simulator/pure/scenarios';
import type { LabEvent } from '../../../simulator/pure/protocol';
import { callLabRoute } from '../client/lab-api';
import { useLabResource } from '../client/use-lab-resource';
import type { LabPartProps } from '../part-names';
import { relativeTime } from './palette/format';
import { Problem } from './palette/Issues';
import styles from './palette/palette.module.css';

const lanEvents = (e: LabEvent): boolean => e.type === 'lab.lan-device' || e.type === 'lab.time-server' || e.type === 'lab.reset' || e.type === 'lab.checkpoint-restored';

/** The VIP the scenario's cluster uses, offered as the address to take. */
function scenarioVip(name: string | undefined): string {
  const found = name ? findScenario(name) : null;
  return found?.ok ? (found.scenario.cluster?.([]).vip ?? '') : '';
}

export function LanPart(props: Partial<LabPartProps>): ReactNode {
  const lab = useLabContext();
  const { outcome, reload } = useLabResource(LAB_ROUTES.lan, { refreshOn: lanEvents });
  const [ip, setIp] = useState(() => scenarioVip(props.scenario));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const act = async (what: 'add' | 'remove' | 'clock-on' | 'clock-off', address = ''): Promise<void> => {
    setBusy(true);
    setProblem(null);
    const r = what === 'add'
      ? await callLabRoute(lab.session, LAB_ROUTES.addLanDevice, { body: { ip: address.trim() } })
      : what === 'remove'
        ? await callLabRoute(lab.session, LAB_ROUTES.removeLanDevice, { params: { ip: address } })
        : await callLabRoute(lab.session, LAB_ROUTES.setTimeServer, { body: { on: what === 'clock-on' } });
    setBusy(false);
    const failed = { add: 'No machine was put on the LAN', remove: 'The machine was not taken off', 'clock-on': 'The time server was not switched on', 'clock-off': 'The time server was not switched off' };
    if (!r.ok) setProblem(`${failed[what]}: ${r.message}`);
    reload();
  };

  let body: ReactNode;
  if (!outcome) body = <p className={styles.muted}>Loading the lab LAN…</p>;
  else if (!outcome.ok) body = <Problem message={`The lab LAN did not load: ${outcome.message}`} />;
  else {
    const now = Date.now();
    const { devices, cidr, timeServer } = outcome.value;
    body = (
      <>
        <p className={styles.muted}>The hosts' second network card is on <code>{cidr}</code>.</p>
        <p data-time-server={timeServer.on ? 'on' : 'off'}>
          The site's time server (NTP) at <code>{timeServer.ip}</code>: {timeServer.on ? 'answering, with the lab machine\'s clock.' : 'switched off; no host can set its clock from it.'}{' '}
          {timeServer.on
            ? props.drills && (
              <button type="button" className="button button--secondary button--sm" data-action="time-server-off" disabled={busy} onClick={() => void act('clock-off')}>
                Switch the time server off
              </button>
            )
            : (
              <button type="button" className="button button--primary button--sm" data-action="time-server-on" disabled={busy} onClick={() => void act('clock-on')}>
                Switch the time server on
              </button>
            )}
        </p>
        <p className={styles.muted}>{devices.length === 0 ? 'No other machine is on it.' : 'Other machines on it:'}</p>
        {devices.length > 0 && (
          <div className={styles.tableWrap} role="region" aria-label="Other machines on the lab LAN" tabIndex={0}>
            <table className={`table ${styles.table}`}>
              <thead><tr><th scope="col">Address</th><th scope="col">MAC</th><th scope="col">Since</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {devices.map((d) => (
                  <tr key={d.ip} data-lan-device={d.ip}>
                    <td><code>{d.ip}</code></td>
                    <td><code>{d.mac}</code></td>
                    <td>{relativeTime(d.addedAt, now)}</td>
                    <td>
                      <button type="button" className="button button--primary button--sm" data-action="remove-device" disabled={busy} onClick={() => void act('remove', d.ip)}>
                        Take the machine off the LAN
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.drills && (
          <form className={styles.fieldRow} onSubmit={(e) => { e.preventDefault(); void act('add', ip); }}>
            <label className={styles.check}>
              Address <input className={`${styles.input} ${styles.narrow}`} value={ip} onChange={(e) => setIp(e.target.value)} data-field="device-ip" />
            </label>
            <button type="submit" className="button button--secondary button--sm" data-action="add-device" disabled={busy}>
              Put a machine on this address
            </button>
          </form>
        )}
      </>
    );
  }
  return (
    <div className={styles.palette} data-lab-part="lan">
      <h3 className={styles.title}>Lab LAN</h3>
      {body}
      <Problem message={problem} />
    </div>
  );
}
