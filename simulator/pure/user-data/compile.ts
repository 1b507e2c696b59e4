// compileAgentEnv: validated user-data → env file for the busybox-shell agent in the guest.
//
// Contract of the output (the agent does `. /path/to/agent.env`):
// - One `KEY='value'` assignment per line, after one leading `#` comment line; LF line ends;
//   ends with a newline. Values are single-quoted; a `'` inside is written `'\''`. Nothing is
//   ever expanded by the shell. Only free-text values (projectName, hostName, tags, the device
//   UID path) can contain a line break; the quoting keeps such a value intact across lines.
// - Every key below is always present (empty string when unset), so `set -u` is safe.
//   EDGE_MANAGEMENT_MODE   `central` (default) or `local`
//   EDGE_ENDPOINT          stylus.site.paletteEndpoint (host[:port], no scheme)
//   EDGE_TOKEN             stylus.site.edgeHostToken
//   EDGE_PROJECT           stylus.site.projectName
//   EDGE_PROJECT_UID       stylus.site.projectUid (the schema refuses it together with projectName)
//   EDGE_NAME              stylus.site.name (explicit host ID; empty → derive, see host-id.ts)
//   EDGE_PREFIX            stylus.site.prefix, default `edge`
//   EDGE_HOSTNAME          stylus.site.hostName, else stylus.site.name, else empty
//   EDGE_DEVICE_UID_PATH   first stylus.site.deviceUIDPaths[].name, default /sys/class/dmi/id/product_uuid
//   EDGE_AUTO_REGISTER     `false` when stylus.site.disableAutoRegister is true, else `true`
//   EDGE_TAGS              `k=v,k2=v2` in file order (the schema forbids `=`/`,` in keys and `,` in values)
//   EDGE_TAGS_FILE         stylus.site.tagsFromFile.fileName (absolute path on the host), else empty
//   EDGE_TAGS_FILE_DELIMITER  tagsFromFile.delimiter (between key and value), default `=`
//   EDGE_TAGS_FILE_SEPARATOR  tagsFromFile.separator (between tags); empty for a line break (the
//                          default, and what a separator of one line break compiles to)
//   EDGE_VIP_SKIP          `true` when stylus.vip.skip is true (no node holds the VIP), else `false`
//   EDGE_NAMESERVER        stylus.site.network.nameserver, else empty
//   EDGE_DISABLE_TUI       `true` when stylus.disableTui is true (no palette-tui), else `false`
//   EDGE_REGISTRATION_URL  stylus.site.registrationURL (the console's QR code), else empty
//   EDGE_INSTALL_REBOOT    `true`/`false` (install.reboot)
//   EDGE_INSTALL_POWEROFF  `true`/`false` (install.poweroff)
//   EDGE_USERS             space-separated: `kairos` first, then stylus.site.users[].name, then the
//                          keys of every step's `users:` map in stage order; no duplicates
//   EDGE_IFACES            space-separated NIC names from stylus.site.network.interfaces, file order
// - Per NIC in EDGE_IFACES, with <id> = the NIC name with every char outside [A-Za-z0-9_]
//   replaced by `_` (shell: `id=$(printf %s "$nic" | tr -c 'A-Za-z0-9_' '_')`):
//   EDGE_IF_<id>_TYPE `dhcp`|`static`; EDGE_IF_<id>_ADDRESS bare IPv4 (CIDR suffix removed);
//   EDGE_IF_<id>_MASK dotted mask (from `mask`, else from the CIDR suffix, else empty);
//   EDGE_IF_<id>_GATEWAY; EDGE_IF_<id>_NAMESERVER.
import { DEFAULT_HOST_ID_PREFIX } from '../host-id';
import { parseIPv4Cidr, prefixToMask } from './net';
import type { UserData } from './schema';

export const DEFAULT_DEVICE_UID_PATH = '/sys/class/dmi/id/product_uuid';

/** `it's` → `'it'\''s'`: safe inside any POSIX shell, including busybox ash. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export const nicEnvId = (nic: string): string => nic.replace(/[^A-Za-z0-9_]/g, '_');

function userNames(data: UserData): string[] {
  const names = ['kairos', ...(data.stylus?.site?.users ?? []).map((u) => u.name)];
  for (const steps of Object.values(data.stages ?? {})) {
    for (const step of steps ?? []) names.push(...Object.keys(step.users ?? {}));
  }
  return Array.from(new Set(names));
}

/** Every env key (see the contract above) with its value for `data`, in file order. */
function agentEnvPairs(data: UserData): [string, string][] {
  const site = data.stylus?.site ?? {};
  const bool = (b: boolean | undefined): string => (b ? 'true' : 'false');
  const ifaces = Object.entries(site.network?.interfaces ?? {});
  const env: [string, string][] = [
    ['EDGE_MANAGEMENT_MODE', data.stylus?.managementMode ?? 'central'],
    ['EDGE_ENDPOINT', site.paletteEndpoint ?? ''],
    ['EDGE_TOKEN', site.edgeHostToken ?? ''],
    ['EDGE_PROJECT', site.projectName ?? ''],
    ['EDGE_PROJECT_UID', site.projectUid?.trim().toLowerCase() ?? ''],
    ['EDGE_NAME', site.name ?? ''],
    ['EDGE_PREFIX', site.prefix || DEFAULT_HOST_ID_PREFIX],
    ['EDGE_HOSTNAME', site.hostName ?? site.name ?? ''],
    ['EDGE_DEVICE_UID_PATH', site.deviceUIDPaths?.[0]?.name ?? DEFAULT_DEVICE_UID_PATH],
    ['EDGE_AUTO_REGISTER', bool(site.disableAutoRegister !== true)],
    ['EDGE_TAGS', Object.entries(site.tags ?? {}).map(([k, v]) => `${k}=${v}`).join(',')],
    ['EDGE_TAGS_FILE', site.tagsFromFile?.fileName ?? ''],
    ['EDGE_TAGS_FILE_DELIMITER', site.tagsFromFile?.delimiter ?? '='],
    ['EDGE_TAGS_FILE_SEPARATOR', site.tagsFromFile?.separator === '\n' ? '' : site.tagsFromFile?.separator ?? ''],
    ['EDGE_VIP_SKIP', bool(data.stylus?.vip?.skip)],
    ['EDGE_NAMESERVER', site.network?.nameserver ?? ''],
    ['EDGE_DISABLE_TUI', bool(data.stylus?.disableTui)],
    ['EDGE_REGISTRATION_URL', site.registrationURL ?? ''],
    ['EDGE_INSTALL_REBOOT', bool(data.install?.reboot)],
    ['EDGE_INSTALL_POWEROFF', bool(data.install?.poweroff)],
    ['EDGE_USERS', userNames(data).join(' ')],
    ['EDGE_IFACES', ifaces.map(([nic]) => nic).join(' ')],
  ];
  for (const [nic, cfg] of ifaces) {
    const cidr = cfg.ipAddress ? parseIPv4Cidr(cfg.ipAddress) : undefined;
    const mask = cfg.mask ?? (cidr?.prefix !== undefined ? prefixToMask(cidr.prefix) : '');
    const id = `EDGE_IF_${nicEnvId(nic)}`;
    env.push(
      [`${id}_TYPE`, cfg.type],
      [`${id}_ADDRESS`, cidr?.address ?? cfg.ipAddress ?? ''],
      [`${id}_MASK`, mask],
      [`${id}_GATEWAY`, cfg.gateway ?? ''],
      [`${id}_NAMESERVER`, cfg.nameserver ?? ''],
    );
  }
  return env;
}

function envText(pairs: readonly [string, string][], comment: string): string {
  const lines = pairs.map(([k, v]) => `${k}=${shellQuote(v)}`);
  return [`# ${comment}`, ...lines, ''].join('\n');
}

export function compileAgentEnv(data: UserData): string {
  return envText(agentEnvPairs(data), 'Edge Lab agent env, generated from user-data by compileAgentEnv; do not edit');
}

/**
 * The env lines a site user-data file (a CIDATA stick, read at the first boot from disk) changes:
 * only the keys fed by what the file sets, in the same format. The guest appends them to its
 * compiled env, so they win over the installer's (later assignments win when the file is sourced).
 * A file setting `projectName` also clears the installer's `projectUid`, and the reverse, so the
 * site's choice is the project; one setting `interfaces` replaces the installer's NIC list;
 * `EDGE_USERS` becomes `kairos` and the site file's users.
 */
export function compileSiteOverrides(data: UserData): string {
  const site = data.stylus?.site ?? {};
  const keys = new Set<string>();
  const when = (set: unknown, ...names: string[]): void => { if (set !== undefined) names.forEach((n) => keys.add(n)); };
  when(data.stylus?.managementMode, 'EDGE_MANAGEMENT_MODE');
  when(site.paletteEndpoint, 'EDGE_ENDPOINT');
  when(site.edgeHostToken, 'EDGE_TOKEN');
  when(site.projectName, 'EDGE_PROJECT', 'EDGE_PROJECT_UID');
  when(site.projectUid, 'EDGE_PROJECT_UID', 'EDGE_PROJECT');
  when(site.name, 'EDGE_NAME', 'EDGE_HOSTNAME');
  when(site.prefix, 'EDGE_PREFIX');
  when(site.hostName, 'EDGE_HOSTNAME');
  when(site.deviceUIDPaths, 'EDGE_DEVICE_UID_PATH');
  when(site.disableAutoRegister, 'EDGE_AUTO_REGISTER');
  when(site.tags, 'EDGE_TAGS');
  when(site.tagsFromFile, 'EDGE_TAGS_FILE', 'EDGE_TAGS_FILE_DELIMITER', 'EDGE_TAGS_FILE_SEPARATOR');
  when(data.stylus?.vip, 'EDGE_VIP_SKIP');
  when(site.network?.nameserver, 'EDGE_NAMESERVER');
  when(data.stylus?.disableTui, 'EDGE_DISABLE_TUI');
  when(site.registrationURL, 'EDGE_REGISTRATION_URL');
  when(site.users, 'EDGE_USERS');
  const ifaces = site.network?.interfaces !== undefined;
  const pairs = agentEnvPairs(data).filter(([k]) => keys.has(k) || (ifaces && (k === 'EDGE_IFACES' || k.startsWith('EDGE_IF_'))));
  return envText(pairs, 'Site user data (CIDATA stick), compiled by compileSiteOverrides: these keys win over the installer\'s');
}
