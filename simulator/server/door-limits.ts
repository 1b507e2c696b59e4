/**
 * Rate limits on the doors that check a secret (an invite, a join code, a session secret, the
 * operator key, a trainer secret), per client address: guessing at any of them is slowed to a
 * crawl, and a client that overdoes it gets 429 with Retry-After and a message saying when to try
 * again. `POST /labs` has its own quota (lab-quota.ts); token-checked lab routes need none (a lab
 * token is an HMAC no one guesses).
 *
 * Budgets are per minute: 30 door attempts (a page uses one per join, and one an hour to renew its
 * token), and 120 trainer requests (the class dashboard polls every 2 s and its buttons add some).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { AddressRate } from './address-rate';

export const DOOR_ATTEMPTS_PER_MINUTE = 30;
export const TRAINER_REQUESTS_PER_MINUTE = 120;

export type SecretDoor = 'door' | 'trainer';

/** Which budget a request counts against, or null for the routes that check no secret here. */
export function secretDoorOf(method: string, path: string): SecretDoor | null {
  const m = method.toUpperCase();
  if (m === 'POST' && (path === '/classes' || /^\/labs\/[^/]+\/(join|session)$/.test(path) || /^\/classes\/[^/]+\/join$/.test(path))) return 'door';
  if (m !== 'OPTIONS' && /^\/classes\/[^/]+(\/.*)?$/.test(path)) return 'trainer';
  return null;
}

export function doorLimits(o: { now: () => number; clientAddress: (c: Context) => string | undefined; doorsPerMinute?: number; trainerPerMinute?: number }): MiddlewareHandler {
  const budgets: Record<SecretDoor, AddressRate> = {
    door: new AddressRate(o.doorsPerMinute ?? DOOR_ATTEMPTS_PER_MINUTE, o.now),
    trainer: new AddressRate(o.trainerPerMinute ?? TRAINER_REQUESTS_PER_MINUTE, o.now),
  };
  return async (c, next) => {
    const door = secretDoorOf(c.req.method, c.req.path);
    if (!door) return next();
    const rate = budgets[door];
    const retry = rate.take(o.clientAddress(c));
    if (retry === null) return next();
    const what = door === 'door' ? 'attempts to join, open a class or renew a session' : 'requests to a class\'s trainer routes';
    return c.json({
      error: 'too-many-attempts',
      message: `[lab-server] too many ${what} from your address: at most ${rate.perMinute} a minute. Wait ${retry} s, then try again (the page retries by itself)`,
      retryAfterSeconds: retry,
    }, 429, { 'Retry-After': String(retry) });
  };
}

/**
 * The client's address: the socket's peer, or, when `trustLoopbackProxy` is set and the peer is a
 * proxy on this machine (Caddy in front of a room), the last address that proxy appended to
 * X-Forwarded-For. A remote client cannot pass one off: its peer address is not loopback.
 */
export function clientAddress(c: Context, trustLoopbackProxy: boolean): string | undefined {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
  if (!trustLoopbackProxy || !peer || !isLoopback(peer)) return peer;
  const forwarded = c.req.header('x-forwarded-for')?.split(',').map((s) => s.trim()).filter(Boolean).at(-1);
  return forwarded ?? peer;
}

function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./i.test(address);
}
