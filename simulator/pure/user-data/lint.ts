// Warnings for user-data that is valid but probably not what the author meant. Runs only on
// data that passed the schema; never blocks a build.
import { didYouMean } from './did-you-mean';
import type { RawFinding } from './messages';
import type { UserData } from './schema';

/** Step keys yip understands (kairos-io/yip). Unknown keys are ignored by the installer. */
export const KNOWN_STEP_KEYS = [
  'name', 'if', 'only_os', 'only_os_version', 'only_arch', 'commands', 'files', 'downloads',
  'directories', 'users', 'ensure_entities', 'delete_entities', 'dns', 'hostname', 'environment',
  'environment_file', 'sysctl', 'systemctl', 'timesyncd', 'modules', 'ssh_authorized_keys',
  'layout', 'git', 'packages', 'unpack_images', 'datasource', 'node', 'dot_notation',
] as const;

const STATIC_ONLY = ['ipAddress', 'mask', 'gateway'] as const;

export function lintUserData(data: UserData): RawFinding[] {
  const out: RawFinding[] = [];
  if (data.stylus?.includeTui !== undefined) {
    out.push({
      path: ['stylus', 'includeTui'], at: 'key', message: '`includeTui` is deprecated',
      hint: 'remove it; use `disableTui: true` to turn the console UI off',
    });
  }
  for (const [nic, cfg] of Object.entries(data.stylus?.site?.network?.interfaces ?? {})) {
    if (cfg.type !== 'dhcp') continue;
    for (const k of STATIC_ONLY) {
      if (cfg[k] === undefined) continue;
      out.push({
        path: ['stylus', 'site', 'network', 'interfaces', nic, k], at: 'key',
        message: `is ignored because \`type\` is \`dhcp\``, hint: 'set `type: static` or remove it',
      });
    }
  }
  for (const [stage, steps] of Object.entries(data.stages ?? {})) {
    (steps ?? []).forEach((step, i) => {
      for (const key of Object.keys(step)) {
        if ((KNOWN_STEP_KEYS as readonly string[]).includes(key)) continue;
        const close = didYouMean(key, KNOWN_STEP_KEYS);
        if (!close) continue;
        out.push({
          path: ['stages', stage, i, key], at: 'key',
          message: `unknown step key \`${key}\`; the installer ignores it`, hint: `did you mean \`${close}\`?`,
        });
      }
    });
  }
  return out;
}
