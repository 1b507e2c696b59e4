// The Origin check for lab traffic. Browsers always send Origin on WebSocket upgrades and on
// cross-origin requests, and a page cannot forge it, so it tells us which site a request came
// from: a foreign site that knows a lab's URL must not drive that lab through the user's browser.
// Fails closed: no list, an unparsable header or several headers all mean "refused".

export type OriginRefusal = 'missing-origin' | 'foreign-origin' | 'bad-origin';
export type OriginCheck = { ok: true; origin: string | null } | { ok: false; reason: OriginRefusal; message: string };

export interface OriginOptions {
  /**
   * Admit requests that carry no Origin at all. Only non-browser clients (the headless scenario
   * runner, curl) omit it, so turn this on only where such clients are expected. Default false.
   */
  allowMissingOrigin?: boolean;
}

/**
 * Checks an Origin header (as Node gives it) against the allowed origins, e.g.
 * ["http://127.0.0.1:3000"]. Throws a `[lab-auth]` error when an allowed origin is not an http(s)
 * origin (a configuration mistake); a bad header is a refusal, never a throw.
 */
export function checkOrigin(
  originHeader: string | readonly string[] | undefined,
  allowedOrigins: readonly string[],
  options: OriginOptions = {},
): OriginCheck {
  const allowed = allowedOrigins.map(normaliseAllowed);
  if (originHeader === undefined || originHeader === '') {
    if (options.allowMissingOrigin) return { ok: true, origin: null };
    return refuse('missing-origin', 'the request has no Origin header; open the lab from the Edge Lab site, or start the lab server with missing Origins allowed for command-line clients');
  }
  if (typeof originHeader !== 'string') {
    return refuse('bad-origin', 'the request has several Origin headers; send exactly one');
  }
  const origin = canonicalOrigin(originHeader);
  if (origin === undefined || origin !== originHeader) {
    // Browsers send the serialised origin (scheme://host[:port]); anything else did not come from one.
    return refuse('bad-origin', `Origin ${JSON.stringify(originHeader)} is not an origin like http://127.0.0.1:3000`);
  }
  if (!allowed.includes(origin)) {
    const where = allowed.length ? `open the lab from ${allowed.join(' or ')}` : 'the lab server allows no origins; start it with the site\'s origin allowed';
    return refuse('foreign-origin', `Origin ${origin} may not use this lab server; ${where}`);
  }
  return { ok: true, origin };
}

function refuse(reason: OriginRefusal, message: string): OriginCheck {
  return { ok: false, reason, message: `[lab-auth] ${message}` };
}

/** The serialised http(s) origin of `s`, or undefined when `s` is not one ("null" included). */
function canonicalOrigin(s: string): string | undefined {
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  return url.origin;
}

function normaliseAllowed(s: string): string {
  const origin = canonicalOrigin(s);
  const url = origin === undefined ? undefined : new URL(s);
  // URL.origin silently drops a path; refuse one so "http://x/docs" is not mistaken for a scope.
  if (!url || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw new Error(`[lab-auth] allowed origin ${JSON.stringify(s)} is not an http(s) origin like http://127.0.0.1:3000 (no path, no wildcard)`);
  }
  return url.origin;
}
