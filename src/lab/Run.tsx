/**
 * A command in the guide text the reader can run on a host with one click:
 * `<Run host="edge-host-1">kubectl get nodes</Run>`. The static page shows the
 * command as code; in the browser a button types it into the host's console.
 */
import type { ReactNode } from 'react';
import LabPart from './LabPart';

export default function Run(props: { host?: string; scenario?: string; children: string }): ReactNode {
  const command = String(props.children).trim();
  return (
    <LabPart part="run" host={props.host ?? 'edge-host-1'} scenario={props.scenario} command={command}>
      <pre><code>{command}</code></pre>
    </LabPart>
  );
}
