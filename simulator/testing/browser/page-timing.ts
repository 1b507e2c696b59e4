/** Paint timings of a page, read from the browser's own performance timeline. */
import type { Page } from 'playwright-core';

/** First Contentful Paint of the page's current document, in ms from its navigation start. */
export async function firstContentfulPaint(page: Page, timeoutMs = 30_000): Promise<number> {
  return page.evaluate((limit) => new Promise<number>((resolve, reject) => {
    const seen = performance.getEntriesByName('first-contentful-paint')[0];
    if (seen) { resolve(seen.startTime); return; }
    const timer = setTimeout(() => { observer.disconnect(); reject(new Error(`no first-contentful-paint entry within ${limit} ms`)); }, limit);
    const observer = new PerformanceObserver((list) => {
      const e = list.getEntriesByName('first-contentful-paint')[0];
      if (e) { clearTimeout(timer); observer.disconnect(); resolve(e.startTime); }
    });
    observer.observe({ type: 'paint', buffered: true });
  }), timeoutMs);
}
