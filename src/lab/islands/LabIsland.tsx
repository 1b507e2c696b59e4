/**
 * The browser-only chunk behind every <LabPart>: finds the tab's shared lab,
 * provides it, says in words what is going on until the lab is live, then
 * renders the part asked for.
 */
import type { ReactNode } from 'react';
import { LabProvider, useLabView } from '../client';
import { sharedLab } from '../client/shared-lab';
import type { LabPartName } from '../part-names';
import { LabNotice } from './LabNotice';
import { LAB_PARTS } from './parts';
import styles from '../components/lab.module.css';

export interface LabIslandProps {
  part: LabPartName;
  scenario: string;
  simulatorUrl: string;
  host?: string;
  command?: string;
  drills?: boolean;
  drill?: string;
  children?: ReactNode;
}

export default function LabIsland(props: LabIslandProps): ReactNode {
  const lab = sharedLab({ scenario: props.scenario, simulatorUrl: props.simulatorUrl });
  return (
    <LabProvider lab={lab}>
      <section className={styles.panel} aria-label={`Your lab: ${props.part}`} data-lab-part={props.part}>
        <LabNotice />
        <PartOnceLive {...props} />
      </section>
    </LabProvider>
  );
}

function PartOnceLive(props: LabIslandProps): ReactNode {
  const view = useLabView();
  if (!view) return props.children ?? null;
  const Part = LAB_PARTS[props.part];
  if (!Part) return <p className={styles.failure}>This page asks for a lab part named “{props.part}”, which this version of Edge Lab does not have.</p>;
  return <Part scenario={props.scenario} host={props.host} command={props.command} drills={props.drills} drill={props.drill} />;
}
