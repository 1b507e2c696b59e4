/**
 * Wraps every page (Docusaurus's Root). Its one job: mount the demo player's
 * bar while a demo is on in this tab. Nothing of the lab loads otherwise.
 */
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { DEMO_EVENT, readDemoRequest, type DemoRequest } from '../lab/demo/demo-request';
import { labServerUrl } from '../lab/lab-server-override';

const DemoBar = lazy(() => import('../lab/demo/DemoBar'));

export default function Root(props: { children?: ReactNode }): ReactNode {
  const { siteConfig } = useDocusaurusContext();
  const [request, setRequest] = useState<DemoRequest | null>(null);
  useEffect(() => {
    setRequest(readDemoRequest());
    const onRequest = (e: Event): void => setRequest((e as CustomEvent<DemoRequest | null>).detail);
    window.addEventListener(DEMO_EVENT, onRequest);
    return () => window.removeEventListener(DEMO_EVENT, onRequest);
  }, []);
  return (
    <>
      {props.children}
      {request ? (
        <Suspense fallback={null}>
          <DemoBar key={request.scenario} request={request} simulatorUrl={labServerUrl(siteConfig.customFields?.labServerUrl)} />
        </Suspense>
      ) : null}
    </>
  );
}
