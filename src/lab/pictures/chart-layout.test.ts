import { describe, expect, it } from 'vitest';
import { clusterMachine } from '../../../simulator/pure/machines/cluster.machine';
import { hostMachine } from '../../../simulator/pure/machines/host.machine';
import { labMachine } from '../../../simulator/pure/machines/lab.machine';
import { chartGraph } from './chart-graph';
import { chartStructure } from './chart-structure';
import { drawingOf, overlaps, type Box } from './drawing';
import { layoutFor, layoutNow, layoutRuns } from './elk-layout';

const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;

describe('a real chart laid out by elkjs', () => {
  for (const machine of [hostMachine, clusterMachine, labMachine]) {
    it(`places every state of the ${machine.id} chart, siblings apart and children inside their parent`, async () => {
      const g = chartGraph(chartStructure(machine));
      const drawing = drawingOf(await layoutFor(g.key, () => g.graph));
      expect(drawing.width).toBeGreaterThan(0);
      const byId = new Map(drawing.boxes.map((b) => [b.id, b]));
      // Every node the builder made has a box.
      for (const id of Object.keys(g.nodes)) expect(byId.has(id), id).toBe(true);
      for (const a of drawing.boxes) {
        for (const b of drawing.boxes) {
          if (a.id < b.id && a.parent === b.parent) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
        }
        if (a.parent) expect(inside(a, byId.get(a.parent)!), `${a.id} inside ${a.parent}`).toBe(true);
      }
      // Every transition is drawn with at least two points and its label.
      for (const [id, meta] of Object.entries(g.edges)) {
        const line = drawing.lines.find((l) => l.id === id);
        expect(line?.points.length ?? 0, id).toBeGreaterThanOrEqual(2);
        expect(line?.labels.map((l) => l.text) ?? [], id).toEqual(meta.events.length ? [meta.events.join('\n')] : []);
      }
    });
  }
  it('lays a chart out once per structure', async () => {
    const g = chartGraph(chartStructure(clusterMachine));
    await layoutFor(g.key, () => g.graph);
    const before = layoutRuns();
    const again = chartGraph(chartStructure(clusterMachine));
    await layoutFor(again.key, () => { throw new Error('laid out again'); });
    expect(layoutRuns()).toBe(before);
    expect(layoutNow(again.key)).toBeDefined();
  });
});
