import { describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ChartSvg } from './ChartSvg';
import { hostChartGraph } from './charts';
import { drawingOf } from './drawing';
import { layoutFor, layoutRuns } from './elk-layout';
import { litStates } from './lit-states';
import type { StateValue } from '../../../simulator/pure/protocol/common';

/** The drawn states as `path=status`, and which carry aria-current. */
function drawn(html: string): { status: Map<string, string>; currentAria: string[] } {
  const status = new Map<string, string>();
  const currentAria: string[] = [];
  for (const m of html.matchAll(/<g [^>]*data-state-path="([^"]+)" data-status="([a-z]+)"( aria-current="true")?/g)) {
    status.set(m[1]!, m[2]!);
    if (m[3]) currentAria.push(m[1]!);
  }
  return { status, currentAria };
}

describe('a statechart drawn and re-coloured', () => {
  it('lights the current states of one layout for each new value, without laying it out again', async () => {
    const g = hostChartGraph();
    const drawing = drawingOf(await layoutFor(g.key, () => g.graph));
    const runs = layoutRuns();
    const render = async (value: StateValue) => {
      const again = await layoutFor(g.key, () => { throw new Error('laid out again'); });
      return drawn(renderToStaticMarkup(createElement(ChartSvg, { graph: g, drawing: drawingOf(again), lit: litStates(value), label: 'Host chart' })));
    };

    const off = await render('poweredOff');
    expect(off.currentAria).toEqual(['poweredOff']);
    expect(off.status.get('powered')).toBe('idle');

    const running = await render({ powered: { paired: { lifecycle: 'running', health: 'healthy' } } });
    expect(running.currentAria.sort()).toEqual(['powered.paired.health.healthy', 'powered.paired.lifecycle.running']);
    expect(running.status.get('powered.paired')).toBe('active');
    expect(running.status.get('poweredOff')).toBe('idle');
    // Every state of the chart is drawn, whatever the value.
    expect(running.status.size).toBe(Object.values(g.nodes).filter((n) => n.kind === 'state').length);
    expect(layoutRuns()).toBe(runs);
    expect(drawing.boxes.length).toBe(Object.keys(g.nodes).length);
  });

  it('marks the transitions that leave a lit state', async () => {
    const g = hostChartGraph();
    const drawing = drawingOf(await layoutFor(g.key, () => g.graph));
    const html = renderToStaticMarkup(createElement(ChartSvg, { graph: g, drawing, lit: litStates('poweredOff'), label: 'Host chart' }));
    const hot = [...html.matchAll(/data-transition="([^"]*)" data-hot="true"/g)].map((m) => m[1]);
    expect(hot).toEqual(['POWER_ON']);
  });
});
