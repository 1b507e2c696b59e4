// Which lab server this browser uses: the site's configured URL, unless localStorage points the
// browser at another one (tests, a trainer's machine). Kept apart from LabPart (which needs
// Docusaurus) so the browser tests and benchmarks in Node can use the key too.

/** localStorage key that points this browser at another lab server (tests, a trainer's machine). */
export const LAB_SERVER_OVERRIDE_KEY = 'edge-lab:lab-server-url';
export const DEFAULT_LAB_SERVER = 'http://127.0.0.1:4100';

/**
 * Browser only: the override when set to an http(s) URL; else, on a page a room-mode server served,
 * the API path its `edge-lab:api` meta tag names, on the page's own origin; else the configured URL.
 */
export function labServerUrl(configured: unknown): string {
  try {
    const override = window.localStorage.getItem(LAB_SERVER_OVERRIDE_KEY);
    if (override && /^https?:\/\//.test(override)) return override.replace(/\/+$/, '');
  } catch {
    // Storage may be disabled; the configured URL stands.
  }
  const api = metaContent('edge-lab:api');
  if (api !== null && api.startsWith('/')) return new URL(api, window.location.origin).href.replace(/\/+$/, '');
  return typeof configured === 'string' ? configured : DEFAULT_LAB_SERVER;
}

/**
 * Browser only: the origin the links a page hands out (join links, invites) must use: a room's
 * public URL (its `edge-lab:public-url` meta tag), else this page's own origin.
 */
export function publicOrigin(): string {
  const given = metaContent('edge-lab:public-url');
  return given !== null && /^https?:\/\/[^/]+$/.test(given) ? given : window.location.origin;
}

function metaContent(name: string): string | null {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;
}
