// The part of the WebSocket API this client uses: what the browser's WebSocket and Node's `ws`
// both offer. Close codes the lab socket uses are mirrored from simulator/server/socket/close-codes.ts
// (not imported: that folder is the server's).

export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** WebSocket.OPEN in both implementations. */
export const SOCKET_OPEN = 1;

export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  noStatus: 1005,
  abnormal: 1006,
  internalError: 1011,
  fellBehind: 4000,
  versionMismatch: 4001,
  tokenExpired: 4002,
} as const;

/** Closes after which the same connection is tried again with hello {since}. */
export const RECONNECT_CODES: ReadonlySet<number> = new Set([CLOSE.goingAway, CLOSE.noStatus, CLOSE.abnormal, CLOSE.internalError, CLOSE.fellBehind]);

/** The browser's WebSocket, looked up when a connection opens (never at import time). */
export function defaultWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: unknown }).WebSocket as WebSocketConstructor | undefined;
}
