import { followTheGuides } from '../../src/e2e/guide-steps';
import type { Metric } from '../context';
import { benchGuideLab } from './guide-lab';
import { runHeadlessSingleNode } from './scenario-single-node';

/**
 * The Deployment guide done in the browser by clicking and typing (the same
 * steps as src/e2e/guides.vm.test.ts), against the headless scenario run on the
 * same lab server just before or after it.
 */
export const guidedSingleNode: Metric = {
  name: 'guided_single_node_s',
  unit: 's',
  what: 'a reader in headless Chromium follows the four guides (page loads, profile form, token, user data typed into the editor, installer, host buttons, wizard, `kubectl get nodes` via the guide\'s Run button), from the first page load to the kubectl output',
  target: [{ kind: 'maxRatio', value: 1.5 }],
  baseline: { extra: 'headless_scenario_s', label: 'headless scenario, same lab server' },
  notes: [
    'Each sample is one browser run in a fresh browser context (a new lab) and one `runScenario(single-node)` on the same lab server; which goes first alternates. Both labs are deleted after the sample, so no VM of one run idles beside the next.',
    'The target is the issue\'s: the guided run within 1.5 × the headless scenario. The browser run types its text at Playwright\'s speed, with no reading time.',
  ],
  async prepare(ctx) {
    const lab = await benchGuideLab(ctx);
    const headless = async (): Promise<number> => (await runHeadlessSingleNode(lab.labServer)).elapsedMs / 1000;
    const guided = async (): Promise<number> => {
      const context = await lab.newContext();
      try {
        const { page, url } = await lab.newPage(context);
        const t0 = performance.now();
        await followTheGuides(page, url);
        const seconds = (performance.now() - t0) / 1000;
        const remembered = await lab.rememberedLab(page);
        if (remembered) await lab.labServer.labs.delete(remembered.labId);
        return seconds;
      } finally {
        await context.close();
      }
    };
    return {
      async sample(i) {
        let base: number;
        let value: number;
        if (i % 2 === 0) { value = await guided(); base = await headless(); } else { base = await headless(); value = await guided(); }
        return { value, extra: { headless_scenario_s: base } };
      },
    };
  },
};
