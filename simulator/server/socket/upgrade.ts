// The lab socket's door: an http server's 'upgrade' requests for /labs/<labId>/socket are admitted
// (Origin, signed lab token for that very lab) before anything else happens, refused with a plain
// HTTP 401/403/404 and a one-line reason otherwise, and upgraded only once the lab is found.
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { admitLabRequest, type Admission, type AdmissionOptions } from '../auth';
import { closeReason, LAB_SOCKET_CLOSE } from '../../pure/protocol/close-codes';
import type { LabChannel } from '../../labs/channel-contract';
import { handleLabSocket, LabSocketError, MAX_CLIENT_FRAME_BYTES, type LabSocketOptions } from './lab-socket';
import { UpgradeBudget } from './upgrade-budget';
import type { RateLimit } from '../../limits/token-bucket';

/** The socket's path under /labs/<labId>, as admitLabRequest reports it in `rest`. */
export const LAB_SOCKET_REST = '/socket';
/** How long close() waits for pages to answer the close handshake before dropping them. */
export const CLOSE_GRACE_MS = 1000;

export function labSocketPath(labId: string): string {
  return `/labs/${labId}${LAB_SOCKET_REST}`;
}

export interface LabSocketServerOptions {
  /**
   * The running lab with this id, undefined when there is none (404), or `{queued}` when it waits
   * for a place (the socket is accepted and closed at once with 4003 `queued <position>`).
   */
  resolveChannel(labId: string): Promise<LabChannel | { queued: number } | undefined>;
  /** Told when a page attaches to or leaves a lab. */
  onAttachChange?: (labId: string) => void;
  /** Decides on a request; see labAdmission for the usual one. Must not throw on a client's mistake. */
  admit(req: IncomingMessage): Admission;
  /** Clock for closing a connection when its token expires (ms since the epoch). Default Date.now. */
  now?: () => number;
  /** Limits and error reporting of each connection. */
  socket?: LabSocketOptions;
  /** How often one session may open a socket (upgrade-budget.ts). */
  upgradeLimit?: RateLimit;
}

export interface LabSocketServer {
  /** For the http server's 'upgrade' event. Never throws; answers or upgrades the socket. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Refuses new upgrades, closes open sockets with goingAway and resolves once all are gone. Idempotent. */
  close(): Promise<void>;
  /** Closes the lab's sockets with goingAway: its lab was replaced or suspended; pages reconnect with since=. */
  closeLab(labId: string, reason: string): void;
  /**
   * Closes the sockets opened with tokens of this session (`sid`) of the lab, once the session has
   * ended (a removed member). Code 4002, as for an expired token: the page asks for a new token,
   * and that refusal tells the person why. Returns how many were closed.
   */
  closeSession(labId: string, sid: string, reason: string): number;
  /** How many pages are attached to the lab now. */
  attached(labId: string): number;
}

/** The usual `admit`: admitLabRequest with this secret and these origins, at `now()`. */
export function labAdmission(opts: Omit<AdmissionOptions, 'now'> & { now: () => number }): (req: IncomingMessage) => Admission {
  const { now, ...rest } = opts;
  return (req) => admitLabRequest({ url: req.url ?? '', headers: req.headers }, { ...rest, now: now() });
}

export function createLabSocketServer(opts: LabSocketServerOptions): LabSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES, perMessageDeflate: false, clientTracking: false });
  const now = opts.now ?? Date.now;
  const open = new Map<WebSocket, Promise<void>>();
  const labOf = new Map<WebSocket, string>();
  const sidOf = new Map<WebSocket, string>();
  const budget = new UpgradeBudget(opts.upgradeLimit);
  let closing: Promise<void> | undefined;

  const reportError = (err: unknown, what: string): void => {
    opts.socket?.onError?.(err instanceof LabSocketError ? err : new LabSocketError(what, { cause: err }));
  };

  function accept(ws: WebSocket, channel: LabChannel, admission: Extract<Admission, { ok: true }>): void {
    // A token is short-lived; so is the connection it opened. The page reloads for a fresh token.
    const expiry = setTimeout(() => {
      if (ws.readyState === WebSocket.OPEN) ws.close(LAB_SOCKET_CLOSE.tokenExpired, closeReason('[lab-socket] the lab token expired; reload the lab page'));
    }, Math.min(Math.max(0, admission.exp - now()), 2 ** 31 - 1));
    expiry.unref();
    ws.once('close', () => clearTimeout(expiry));
    const done = handleLabSocket(ws, channel, { labId: admission.labId, role: admission.role }, opts.socket).finally(() => {
      open.delete(ws);
      labOf.delete(ws);
      sidOf.delete(ws);
      opts.onAttachChange?.(admission.labId);
    });
    open.set(ws, done);
    labOf.set(ws, admission.labId);
    if (admission.sid !== undefined) sidOf.set(ws, admission.sid);
    opts.onAttachChange?.(admission.labId);
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, admission: Extract<Admission, { ok: true }>): Promise<void> {
    // Node removed its own error listener when it handed the socket over; without one, a reset
    // while the lab is looked up would crash the process.
    const onEarlyError = (): void => void socket.destroy();
    socket.on('error', onEarlyError);
    try {
      let channel: LabChannel | { queued: number } | undefined;
      try {
        channel = await opts.resolveChannel(admission.labId);
      } catch (err) {
        reportError(err, `looking up lab ${admission.labId} failed`);
        return refuseUpgrade(socket, 500, '[lab-socket] the lab could not be opened; try again in a moment');
      }
      if (socket.destroyed) return;
      if (closing) return refuseUpgrade(socket, 503, '[lab-socket] the lab server is shutting down; reconnect in a moment');
      if (!channel) {
        return refuseUpgrade(socket, 404, `[lab-socket] there is no lab ${admission.labId} (it ended, or the lab server restarted); open the lab again from its page`);
      }
      if ('queued' in channel) {
        const reason = closeReason(`queued ${channel.queued}`);
        wss.handleUpgrade(req, socket, head, (ws) => ws.close(LAB_SOCKET_CLOSE.queued, reason));
        return;
      }
      const found = channel;
      wss.handleUpgrade(req, socket, head, (ws) => accept(ws, found, admission));
    } finally {
      socket.off('error', onEarlyError);
    }
  }

  return {
    handleUpgrade(req, socket, head) {
      if (closing) return refuseUpgrade(socket, 503, '[lab-socket] the lab server is shutting down; reconnect in a moment');
      let admission: Admission;
      try {
        admission = opts.admit(req);
      } catch (err) {
        reportError(err, 'admitting a lab socket request failed');
        return refuseUpgrade(socket, 500, '[lab-socket] the request could not be checked; try again in a moment');
      }
      if (!admission.ok) return refuseUpgrade(socket, admission.status, admission.message, admission.headers);
      if (admission.rest !== LAB_SOCKET_REST) {
        return refuseUpgrade(socket, 404, `[lab-socket] no WebSocket here; the lab socket is ${labSocketPath(admission.labId)}`);
      }
      if (!budget.take(admission.labId, admission.sid ?? `role:${admission.role}`)) {
        const { burst, perSecond } = budget.limit;
        return refuseUpgrade(socket, 429, `[lab-socket] this session opened more than ${burst} lab sockets in a short time (then one per ${Math.round(1 / perSecond)} s); wait a moment, the page reconnects by itself`, { 'Retry-After': String(budget.retryAfterS) });
      }
      void upgrade(req, socket, head, admission);
    },

    closeLab(labId, reason) {
      for (const [ws, id] of labOf) if (id === labId && ws.readyState === WebSocket.OPEN) ws.close(LAB_SOCKET_CLOSE.goingAway, closeReason(`[lab-socket] ${reason}; reconnecting`));
    },

    closeSession(labId, sid, reason) {
      let n = 0;
      for (const [ws, id] of sidOf) {
        if (id !== sid || labOf.get(ws) !== labId || ws.readyState !== WebSocket.OPEN) continue;
        ws.close(LAB_SOCKET_CLOSE.tokenExpired, closeReason(`[lab-socket] ${reason}`));
        // A page that ignores the close (and could go on sending while CLOSING) is dropped soon.
        setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
        n++;
      }
      return n;
    },

    attached(labId) {
      let n = 0;
      for (const id of labOf.values()) if (id === labId) n++;
      return n;
    },

    close() {
      closing ??= (async () => {
        const sockets = [...open.keys()];
        for (const ws of sockets) ws.close(LAB_SOCKET_CLOSE.goingAway, '[lab-socket] the lab server is shutting down');
        const grace = setTimeout(() => sockets.forEach((ws) => ws.terminate()), CLOSE_GRACE_MS);
        await Promise.all(open.values());
        clearTimeout(grace);
        await new Promise<void>((resolve) => wss.close(() => resolve()));
      })();
      return closing;
    },
  };
}

/** Answers an upgrade request with a plain HTTP error and a one-line body, then drops the socket. */
function refuseUpgrade(socket: Duplex, status: number, message: string, headers: Readonly<Record<string, string>> = {}): void {
  if (socket.destroyed || !socket.writable) return void socket.destroy();
  const body = `${oneLine(message)}\n`;
  const lines = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    ...Object.entries(headers).map(([name, value]) => `${oneLine(name)}: ${oneLine(value)}`),
  ];
  socket.on('error', () => socket.destroy());
  socket.once('finish', () => socket.destroy());
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** No CR or LF may reach a status line, header or the one-line body. */
function oneLine(s: string): string {
  return s.replace(/[\r\n]+/g, ' ');
}
