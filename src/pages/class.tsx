/**
 * /class: the class dashboard for a trainer. Opens a class on the lab server, hands out the learner
 * link, and shows every learner's lab. The page itself is static; the dashboard is one chunk loaded
 * only in the browser (it reads localStorage and the address), like the lab parts of the guides.
 */
import BrowserOnly from '@docusaurus/BrowserOnly';
import { useLatestVersion } from '@docusaurus/plugin-content-docs/client';
import useBaseUrl from '@docusaurus/useBaseUrl';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import Layout from '@theme/Layout';
import { lazy, Suspense, type ReactNode } from 'react';
import { FIRST_GUIDE_DOC_ID } from '../lab/class/class-links';
import { labServerUrl } from '../lab/lab-server-override';

const ClassIsland = lazy(() => import('../lab/class/ClassIsland'));

export default function ClassPage(): ReactNode {
  const { siteConfig } = useDocusaurusContext();
  const firstGuide = useLatestVersion(undefined).docs.find((d) => d.id === FIRST_GUIDE_DOC_ID);
  const fallbackGuide = useBaseUrl(`/${FIRST_GUIDE_DOC_ID}`);
  const classPagePath = useBaseUrl('/class');
  const placeholder = <p>The class dashboard appears here once the page runs in your browser.</p>;
  return (
    <Layout title="Class dashboard" description="Open a class of Edge Lab learners, hand out one link, and follow every learner's lab.">
      <main className="container margin-vert--lg">
        <h1>Class dashboard</h1>
        <p>
          Open a class, send your learners one link, and follow each learner's lab here: where they are in the four
          phases, their hosts, their last failed check. The hosts are real virtual machines on the machine that runs
          the lab server, so how many can run at once is that machine's limit.
        </p>
        <BrowserOnly fallback={placeholder}>
          {() => (
            <Suspense fallback={placeholder}>
              <ClassIsland serverUrl={labServerUrl(siteConfig.customFields?.labServerUrl)} guidePath={firstGuide?.path ?? fallbackGuide} classPagePath={classPagePath} />
            </Suspense>
          )}
        </BrowserOnly>
      </main>
    </Layout>
  );
}
