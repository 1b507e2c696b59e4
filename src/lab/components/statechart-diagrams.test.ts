// The statechart part draws each chart as a diagram (pictures/) and keeps the lab chart's list under "as a list".
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LabView, MachineView } from '../../../simulator/pure/protocol';
import { clusterChartGraph, hostChartGraph, labChartGraph } from '../pictures/charts';
import { layoutFor } from '../pictures/elk-layout';
import { Statechart } from './StatechartPart';

const host = (state: MachineView['state']): MachineView => ({ state, label: '', tags: [], allowed: [], may: [], data: {} });
const view: LabView = {
  state: { installHandoff: 'forgingInstaller' }, label: 'Install Handoff: Build the Edge Installer', tags: [], allowed: [], may: [], at: 0,
  data: {}, phases: [],
  hosts: { 'edge-host-1': host({ powered: { paired: { lifecycle: 'running', health: 'healthy' } } }), 'edge-host-2': host('poweredOff') },
  clusters: { 'edge-lab-cluster': host({ running: 'unhealthy' }) },
};

/** The diagrams in the page, each with the paths lit `current` in it. */
function diagrams(html: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const svg of html.split('<svg').slice(1)) {
    const label = /aria-label="([^"]+)"/.exec(svg)?.[1] ?? '';
    out[label] = [...svg.split('</svg>')[0]!.matchAll(/data-state-path="([^"]+)" data-status="current" aria-current="true"/g)].map((m) => m[1]!).sort();
  }
  return out;
}

describe('the statechart part\'s diagrams', () => {
  it('shows "Drawing the chart…" until the layout is made, with the list there already', () => {
    const html = renderToString(createElement(Statechart, { view, events: [] }));
    // Nothing has been laid out yet in this file (vitest gives each file its own modules).
    expect(html).not.toContain('<svg');
    expect(html).toContain('Drawing the chart…');
    expect(html).toMatch(/<details[^>]*><summary>The lab chart as a list<\/summary><ol/);
  });

  it('lights the current state of the lab, each host and the cluster once laid out', async () => {
    for (const g of [labChartGraph(), hostChartGraph(), clusterChartGraph()]) await layoutFor(g.key, () => g.graph);
    const html = renderToString(createElement(Statechart, { view, events: [] }));
    expect(diagrams(html)).toEqual({
      'The lab chart, now at installHandoff.forgingInstaller': ['installHandoff.forgingInstaller'],
      'The host chart of edge-host-1, now at powered.paired.lifecycle.running and powered.paired.health.healthy': ['powered.paired.health.healthy', 'powered.paired.lifecycle.running'],
      'The host chart of edge-host-2, now at poweredOff': ['poweredOff'],
      'The cluster chart of edge-lab-cluster, now at running.unhealthy': ['running.unhealthy'],
    });
    // The list stays, with its own current step.
    expect(html).toMatch(/<li[^>]*data-state-path="installHandoff.forgingInstaller"[^>]*aria-current="step"/);
  });
});
