// Headers every room-mode answer carries. A join or invite link holds a secret in its query until
// the page trades it for a session, so no page may send its address on as a Referer; no answer may
// be sniffed into another type; no other site may frame a page (clickjacking a lab's buttons).

/** For pages (`csp` set) and for files and API answers (`csp` null). */
export function pageSecurityHeaders(csp: string | null): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    ...(csp ? { 'content-security-policy': csp } : {}),
  };
}
