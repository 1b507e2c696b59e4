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
    // Each lab-page load of page_first_contentful_paint_ms is a first visit that opens a lab, ten
    // or more a minute from one address: past the per-address limit that guards POST /labs against
    // strangers (lab-quota.ts), whose Retry-After would then be timed instead of the page.
    const lab = await GuideLab.start({ log: (line) => ctx.log(`guide lab: ${line}`), labServer: { labsPerMinute: 1000 } });
    ctx.atEnd(() => lab.close());
    return lab;
  });
}
