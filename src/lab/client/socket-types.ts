// The part of the WebSocket API this client uses: what the browser's WebSocket and Node's `ws`
// both offer. Close codes the lab socket uses come from simulator/pure/protocol/close-codes.ts
import { LAB_SOCKET_CLOSE } from '../../../simulator/pure/protocol/close-codes';

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

/** The lab socket's own codes (pure/protocol) plus the standard ones a browser reports. */
export const CLOSE = {
  ...LAB_SOCKET_CLOSE,
  normal: 1000,
  noStatus: 1005,
  abnormal: 1006,
} as const;

/** Closes after which the same connection is tried again with hello {since}. */
export const RECONNECT_CODES: ReadonlySet<number> = new Set([CLOSE.goingAway, CLOSE.noStatus, CLOSE.abnormal, CLOSE.internalError, CLOSE.fellBehind]);

/** The browser's WebSocket, looked up when a connection opens (never at import time). */
export function defaultWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: unknown }).WebSocket as WebSocketConstructor | undefined;
}
