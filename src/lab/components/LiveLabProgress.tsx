/**
 * Place in MDX: `<LiveLabProgress scenario="single-node" />`. The static page
 * carries only a sentence; the lab code is a separate chunk loaded in the
 * browser, so a guide without a lab stays a fast static page.
 */
import BrowserOnly from '@docusaurus/BrowserOnly';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { lazy, Suspense, type ReactNode } from 'react';

const Panel = lazy(() => import('./LabProgressPanel'));
const DEFAULT_LAB_SERVER = 'http://127.0.0.1:4100';

export default function LiveLabProgress(props: { scenario: string }): ReactNode {
  const { siteConfig } = useDocusaurusContext();
  const url = typeof siteConfig.customFields?.labServerUrl === 'string' ? siteConfig.customFields.labServerUrl : DEFAULT_LAB_SERVER;
  const placeholder = <p>Your lab’s progress appears here once the page runs in your browser.</p>;
  return (
    <BrowserOnly fallback={placeholder}>
      {() => (
        <Suspense fallback={<p>Loading your lab…</p>}>
          <Panel scenario={props.scenario} simulatorUrl={url} />
        </Suspense>
      )}
    </BrowserOnly>
  );
}
