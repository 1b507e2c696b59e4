// Naming rules shared by profiles and clusters, and the checks for the small values the cluster
// wizard takes (NTP servers, SSH keys).
//
// Lab decision: the docs give no name rules, so profile and cluster names follow the Kubernetes
// label rule the names end up in: 1–63 lowercase letters, digits and `-`, starting with a letter
// and ending with a letter or digit.
import { error, type PaletteIssue } from './issues';

export const NAME_MAX_LENGTH = 63;
const NAME = /^[a-z]([a-z0-9-]*[a-z0-9])?$/;

/** A name that would pass, derived from `raw` (lowercased, other characters turned into `-`). */
export function suggestName(raw: string): string {
  const s = raw.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+/, '').slice(0, NAME_MAX_LENGTH).replace(/-+$/, '');
  return s === '' ? 'my-edge' : s;
}

/** `what` is `profile` or `cluster`; the issue sits at `path`. */
export function checkName(raw: string, path: string, what: string): PaletteIssue[] {
  const example = `e.g. \`${suggestName(raw)}\``;
  if (raw.trim() === '') return [error(path, 'name-invalid', `the ${what} has no name`, `give it a name, ${example}`)];
  if (raw.length > NAME_MAX_LENGTH) {
    return [error(path, 'name-invalid', `the ${what} name is ${raw.length} characters long; the limit is ${NAME_MAX_LENGTH}`, `shorten it, ${example}`)];
  }
  if (NAME.test(raw)) return [];
  const bad = /[^A-Za-z0-9-]/.exec(raw)?.[0];
  const why = /[A-Z]/.test(raw) ? 'has capital letters'
    : !/^[a-z]/.test(raw) ? 'does not start with a letter'
      : bad !== undefined ? `contains ${bad === ' ' ? 'a space' : `\`${bad}\``}`
        : 'ends with `-`';
  return [error(path, 'name-invalid', `the ${what} name \`${raw}\` ${why}; use lowercase letters, digits and \`-\`, starting with a letter`, `rename it, ${example}`)];
}

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** Profile versions are `major.minor.patch`, e.g. `1.0.0`. */
export function checkSemver(raw: string, path: string): PaletteIssue[] {
  if (SEMVER.test(raw)) return [];
  const bare = raw.trim().replace(/^v/i, '');
  const parts = bare.split('.');
  const fixed = SEMVER.test(bare) ? bare : parts.length < 3 && parts.every((p) => /^\d+$/.test(p)) ? [...parts, '0', '0'].slice(0, 3).map(Number).join('.') : '1.0.0';
  return [error(path, 'version-invalid', `\`${raw}\` is not a version of the form major.minor.patch`, `write e.g. \`${fixed}\``)];
}

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isHostName(s: string): boolean {
  return s.length <= 253 && s.split('.').every((l) => LABEL.test(l));
}

/** NTP servers are host names (`pool.ntp.org`) or IPv4 addresses; both pass `isHostName`. */
export function checkNtpServer(raw: string, path: string): PaletteIssue[] {
  if (raw !== '' && isHostName(raw)) return [];
  const hint = /^[a-z]+:\/\//i.test(raw)
    ? `write the host name only, e.g. \`${raw.replace(/^[a-z]+:\/\//i, '').split(/[/:]/)[0]}\``
    : 'write a host name or IPv4 address, e.g. `pool.ntp.org` or `192.168.1.1`';
  return [error(path, 'ntp-invalid', `\`${raw}\` is not an NTP server name`, hint)];
}

const KEY_TYPES = [
  'ssh-ed25519', 'ssh-rsa', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com',
];

/** A public key line as in `~/.ssh/id_ed25519.pub`: `<type> <base64> [comment]`. */
export function checkSshKey(raw: string, path: string): PaletteIssue[] {
  const key = raw.trim();
  if (/-----BEGIN/.test(key)) {
    return [error(path, 'ssh-key-invalid', 'this is a private key; never paste it anywhere', 'paste the public key instead: the one-line contents of the `.pub` file, e.g. `~/.ssh/id_ed25519.pub`')];
  }
  if (/[\r\n]/.test(key)) {
    return [error(path, 'ssh-key-invalid', 'holds more than one line', 'add each key as its own entry, one line each')];
  }
  const [type = '', body = ''] = key.split(/\s+/);
  if (!KEY_TYPES.includes(type)) {
    return [error(path, 'ssh-key-invalid', `does not look like an SSH public key: it should start with a key type such as \`ssh-ed25519\` or \`ssh-rsa\``, 'paste the whole line of the `.pub` file, e.g. `ssh-ed25519 AAAAC3Nza… user@laptop`')];
  }
  if (!/^AAAA[A-Za-z0-9+/]{12,}={0,3}$/.test(body)) {
    return [error(path, 'ssh-key-invalid', `the \`${type}\` key's data is missing or cut short`, 'copy the whole line of the `.pub` file again; the key data starts with `AAAA`')];
  }
  return [];
}

/**
 * Tags of a profile or cluster (`env:prod`, `store-42`). Lab decision: the docs give no rule, so a
 * tag is 1–63 characters without whitespace or `,` (the wizard and builder split on commas).
 */
export function checkTagList(tags: readonly string[], path: string): PaletteIssue[] {
  return tags.flatMap((t, i) => {
    const at = `${path}[${i}]`;
    if (t.trim() === '') return [error(at, 'tag-invalid', `tag ${i + 1} is empty`, 'remove it, or write e.g. `env:lab`')];
    if (/[\s,]/.test(t)) return [error(at, 'tag-invalid', `the tag \`${t}\` contains whitespace or \`,\``, `write it as one word, e.g. \`${t.trim().replace(/[\s,]+/g, '-')}\`, or as separate tags`)];
    if (t.length > NAME_MAX_LENGTH) return [error(at, 'tag-invalid', `the tag \`${t.slice(0, 20)}…\` is ${t.length} characters long; the limit is ${NAME_MAX_LENGTH}`, 'shorten it')];
    return [];
  });
}
