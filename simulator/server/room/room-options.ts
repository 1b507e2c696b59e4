// Room mode: the lab served to a room from one address. What the operator gives (`--public-url`,
// `--listen`) is checked here, with messages that say what to type instead.

/** Pages reach the lab API and its sockets under this path of the public origin. */
export const ROOM_API_PREFIX = '/api';

export interface RoomOptions {
  /** The address learners open, e.g. `https://lab.example.org` or `http://192.168.1.20:8080`. */
  publicUrl: string;
  /** The built site to serve beside the API (Docusaurus's build/). */
  siteDir: string;
  /** Whether anyone who reaches the server may open a lab of their own without a class or invite. Default false. */
  allowSoloLabs?: boolean;
  /** Serve HTTPS directly with this certificate and key (PEM files' contents), without a proxy in front. */
  tls?: { cert: Buffer; key: Buffer };
}

export interface PublicAddress {
  /** `https://lab.example.org`: the one origin pages and sockets use. */
  origin: string;
  /** The Host header browsers send for it (`lab.example.org`, or with the port when it is not the scheme's default). */
  host: string;
  secure: boolean;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** `--public-url`: an http(s) origin, with no path, query or credentials. */
export function parsePublicUrl(raw: string): Parsed<PublicAddress> {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return { ok: false, message: `--public-url "${raw}" is not a URL; give the address learners will open, e.g. https://lab.example.org or http://192.168.1.20:8080` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, message: `--public-url must start with https:// (or http:// on a trusted LAN), not ${u.protocol}//` };
  if (u.username || u.password) return { ok: false, message: '--public-url must not carry a user name or password' };
  if ((u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    return { ok: false, message: `--public-url is an origin only (scheme, host, port): "${u.origin}", not "${raw}"; the site is served at its root and the API under ${ROOM_API_PREFIX}/` };
  }
  return { ok: true, value: { origin: u.origin, host: u.host.toLowerCase(), secure: u.protocol === 'https:' } };
}

/** `--listen`: `host:port` (IPv6 in brackets). */
export function parseListen(raw: string): Parsed<{ host: string; port: number }> {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) return { ok: false, message: `--listen "${raw}" must be host:port, e.g. 0.0.0.0:8080, 192.168.1.20:8080 or 127.0.0.1:8080 (behind Caddy)` };
  return { ok: true, value: { host: (m[1] ?? m[2]) as string, port } };
}
