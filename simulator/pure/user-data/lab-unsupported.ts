// User-data keys of the real product that Edge Lab cannot honour, refused at validation with the
// reason rather than accepted and dropped. Each entry says why the lab cannot do it and what the
// key does on a real site, so the reader still learns the key. "How the lab works" lists them.
import type { Finding } from './rules';

export interface LabUnsupportedKey {
  /** Dotted path under the document root, as the validator reports it. */
  path: string;
  /** Why the lab cannot honour it (after "Edge Lab does not support it: "). */
  why: string;
  /** What the key does on a real site. */
  realSite: string;
}

export const LAB_UNSUPPORTED_KEYS: readonly LabUnsupportedKey[] = [
  {
    path: 'stylus.site.network.httpProxy',
    why: 'the lab network has no proxy; each host reaches its Palette endpoint directly',
    realSite: 'sends the agent\'s plain-HTTP traffic through this proxy',
  },
  {
    path: 'stylus.site.network.httpsProxy',
    why: 'the lab network has no proxy; each host reaches its Palette endpoint directly',
    realSite: 'sends the agent\'s HTTPS traffic (to Palette and registries) through this proxy',
  },
  {
    path: 'stylus.site.network.noProxy',
    why: 'the lab network has no proxy, so there is nothing to bypass',
    realSite: 'lists the addresses reached without the proxy',
  },
  {
    path: 'stylus.site.caCerts',
    why: 'the lab\'s Palette endpoint speaks plain HTTP on the lab network, so there is no certificate to trust',
    realSite: 'adds CA certificates the agent trusts, e.g. for a proxy that inspects TLS',
  },
  {
    path: 'stylus.site.insecureSkipVerify',
    why: 'the lab\'s Palette endpoint speaks plain HTTP on the lab network, so there is no certificate check to skip',
    realSite: 'makes the agent accept the endpoint\'s certificate without checking it, for tests only',
  },
  {
    path: 'stylus.site.tagsFromScript',
    why: 'nothing can put a script on the host before it registers (the user data\'s `files` steps are not applied in the lab)',
    realSite: 'runs the script at registration and adds the tags it prints',
  },
];

/** The finding for an unsupported key that is present (`at` the key). */
export function labUnsupported(path: string): Finding {
  const entry = LAB_UNSUPPORTED_KEYS.find((k) => k.path === path);
  if (!entry) throw new Error(`user-data: ${path} is not in LAB_UNSUPPORTED_KEYS`);
  const key = path.split('.').pop();
  return {
    message: `\`${key}\` is real Palette Edge user data, but Edge Lab does not support it: ${entry.why}`,
    hint: `remove it for the lab; on a real site it ${entry.realSite}`,
    at: 'key',
  };
}
