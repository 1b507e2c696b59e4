/**
 * A lab session's secret as an HTTPS-only cookie. In a room served over HTTPS the secret that
 * renews a session's token never reaches the page's script or storage: the doors that make a
 * session set it as `Secure; HttpOnly; SameSite=Strict`, scoped to that lab's renewal door
 * (`<api>/labs/<id>/session`), and answer `sessionSecret: null`. The renewal door then reads it
 * from the cookie when the body names no secret. Plain HTTP (solo on loopback, a room without TLS,
 * this machine's own clients on their loopback address) keeps the secret in the answer: a Secure
 * cookie would not be sent back there. A request is the room's when its Host is the public URL's
 * (the request guard admits no other name but the loopback ones), whether TLS ends here or at Caddy.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { SESSION_IDLE_MS } from '../../labs/lab-members';

export const SESSION_COOKIE = 'edge-lab-session';

export interface SessionCookies {
  /** Sets the cookie for `labId` on a room's HTTPS request; returns what the answer's `sessionSecret` is then (null: in the cookie). */
  hand(c: Context, labId: string, secret: string): string | null;
  /** The secret the request's cookie holds for this lab's renewal door, if any. */
  read(c: Context): string | undefined;
}

/**
 * `publicHost`: the Host of a room served over HTTPS, null otherwise (no cookies at all).
 * `apiPrefix`: where the browser sees the API (`/api` in a room), so the cookie's Path matches the door it sees.
 */
export function sessionCookies(o: { publicHost: string | null; apiPrefix: string }): SessionCookies {
  const inRoom = (c: Context): boolean => o.publicHost !== null && c.req.header('host') === o.publicHost;
  return {
    hand(c, labId, secret) {
      if (!inRoom(c)) return secret;
      setCookie(c, SESSION_COOKIE, secret, {
        path: `${o.apiPrefix}/labs/${labId}/session`,
        secure: true, httpOnly: true, sameSite: 'Strict',
        // As long as the server keeps an idle session (lab-members.ts); each renewal sets it again.
        maxAge: Math.floor(SESSION_IDLE_MS / 1000),
      });
      return null;
    },
    read(c) {
      return inRoom(c) ? getCookie(c, SESSION_COOKIE) || undefined : undefined;
    },
  };
}
