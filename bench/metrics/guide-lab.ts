/**
 * The browser metrics' shared guide lab (simulator/testing/browser): the built
 * site served on 127.0.0.1, a lab server of their own with real VMs, and
 * headless Chromium. Started once per run, on first use, and closed at its end.
 */
import { GuideLab } from '../../simulator/testing/browser/guide-lab';
import type { BenchContext } from '../context';

export function benchGuideLab(ctx: BenchContext): Promise<GuideLab> {
  return ctx.memo('guide-lab', async () => {
    ctx.log('guide lab: site build (or EDGE_LAB_SITE_BUILD), site server, lab server, Chromium (untimed; once per run)');
    const lab = await GuideLab.start({ log: (line) => ctx.log(`guide lab: ${line}`) });
    ctx.atEnd(() => lab.close());
    return lab;
  });
}
