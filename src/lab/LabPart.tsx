/**
 * Places one part of the reader's lab in a guide, e.g. `<LabPart part="hosts" />`.
 * The static page carries a sentence (or `children`, e.g. the command of a Run);
 * the lab code is one chunk loaded only in the browser, and every part on every
 * page shares the tab's one lab (client/shared-lab.ts).
 */
import BrowserOnly from '@docusaurus/BrowserOnly';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { lazy, Suspense, type ReactNode } from 'react';
import { LAB_SERVER_OVERRIDE_KEY, labServerUrl } from './lab-server-override';
import { GUIDE_SCENARIO, type LabPartName } from './part-names';

const Island = lazy(() => import('./islands/LabIsland'));
export { LAB_SERVER_OVERRIDE_KEY };

export interface LabPartTagProps {
  part: LabPartName;
  scenario?: string;
  host?: string;
  command?: string;
  /** `hosts`, `registry` and `lan` only: also show the buttons that break something on purpose (Troubleshooting drills). */
  drills?: boolean;
  /** `drill-check` only: the drill whose fix it checks (cable, stick, small-disk, duplicate-id, expired-token, checksum, vip-clash, clock). */
  drill?: string;
  /** What the static page and the loading state show instead of the part. */
  children?: ReactNode;
}

export default function LabPart(props: LabPartTagProps): ReactNode {
  const { siteConfig } = useDocusaurusContext();
  const placeholder = props.children ?? <p>This part of your lab appears here once the page runs in your browser.</p>;
  return (
    <BrowserOnly fallback={<>{placeholder}</>}>
      {() => (
        <Suspense fallback={<>{placeholder}</>}>
          <Island part={props.part} scenario={props.scenario ?? GUIDE_SCENARIO} simulatorUrl={labServerUrl(siteConfig.customFields?.labServerUrl)} host={props.host} command={props.command} drills={props.drills} drill={props.drill}>
            {props.children}
          </Island>
        </Suspense>
      )}
    </BrowserOnly>
  );
}
