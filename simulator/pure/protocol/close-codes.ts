// The close codes of the lab socket and what a page should do on each. Shared by the lab server
// (simulator/server/socket) and the site's lab client (src/lab/client).

export const LAB_SOCKET_CLOSE = {
  /** The lab server is shutting down: reconnect later with since=<last seq>. */
  goingAway: 1001,
  /** The first frame was not a valid hello, or none came in time: a bug in the page; do not retry as is. */
  protocolError: 1002,
  /** A frame was larger than MAX_CLIENT_FRAME_BYTES (sent by ws itself). */
  tooBig: 1009,
  /** The lab failed to answer: reconnect in a moment with since=. */
  internalError: 1011,
  /** The page read too slowly and the server stopped buffering: reconnect now with since=; nothing was lost. */
  fellBehind: 4000,
  /** hello carried another protocol version: reload the page (the site and the lab server differ). */
  versionMismatch: 4001,
  /** The lab token expired: reload the lab page for a fresh token. */
  tokenExpired: 4002,
  /**
   * The machine is at its limit of running hosts and this lab waits for a place. The reason is
   * `queued <position>` (1 = next); reconnect in a few seconds (GET /labs/<id>/place says the same).
   */
  queued: 4003,
  /**
   * The page sent more than its socket allows (frames, bytes, or WebSocket pings and pongs per
   * second; see simulator/server/socket/rate-limits.ts). The reason says which. Frames within the
   * limit were handled; the one over it and any after it were not. Reconnect with since= after a
   * pause, not at once.
   */
  tooManyMessages: 4004,
} as const;
export type LabSocketCloseCode = (typeof LAB_SOCKET_CLOSE)[keyof typeof LAB_SOCKET_CLOSE];

/** WebSocket close reasons are limited to 123 bytes of UTF-8 (RFC 6455 §5.5). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** `reason` cut to fit a close frame, on a character boundary. */
export function closeReason(reason: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(reason).length <= MAX_CLOSE_REASON_BYTES) return reason;
  let out = '';
  for (const ch of reason) {
    if (encoder.encode(`${out}${ch}…`).length > MAX_CLOSE_REASON_BYTES) break;
    out += ch;
  }
  return `${out}…`;
}
