// How a page asks for the demo player: a flag in sessionStorage (so the player survives page
// changes and reloads in this tab) and a window event (so the Root notices at once).
export const DEMO_KEY = 'edge-lab:demo';
export const DEMO_EVENT = 'edge-lab:demo';

export interface DemoRequest {
  scenario: string;
  paceMs: number;
  /** Start playing as soon as the player is up. */
  autoplay: boolean;
}

export function readDemoRequest(): DemoRequest | null {
  try {
    const raw = window.sessionStorage.getItem(DEMO_KEY);
    if (!raw) return null;
    const r = JSON.parse(raw) as Partial<DemoRequest>;
    if (typeof r.scenario !== 'string' || typeof r.paceMs !== 'number') return null;
    return { scenario: r.scenario, paceMs: r.paceMs, autoplay: r.autoplay === true };
  } catch {
    return null;
  }
}

export function requestDemo(r: DemoRequest | null): void {
  try {
    if (r) window.sessionStorage.setItem(DEMO_KEY, JSON.stringify(r));
    else window.sessionStorage.removeItem(DEMO_KEY);
  } catch {
    // Without storage the player lasts as long as this page.
  }
  window.dispatchEvent(new CustomEvent<DemoRequest | null>(DEMO_EVENT, { detail: r }));
}
