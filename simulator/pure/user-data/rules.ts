// Value rules for user-data fields. Each check returns undefined when the value is fine, or a
// Finding (message + how to fix). `refine(check)` adapts a check into a zod superRefine callback;
// the hint travels in the custom issue's `params` together with `at` and `missing` (see Finding).
import type { z } from 'zod';
import { findForbiddenHostIdChar, HOST_ID_MAX_LENGTH } from '../host-id';
import { isIPv4, maskPrefixLength, parseIPv4Cidr } from './net';

export interface Finding {
  message: string;
  hint?: string;
  /** Extra path segments below the refined value. */
  path?: (string | number)[];
  /** Point at the key node of the last path segment instead of its value. */
  at?: 'key';
  /** The key is absent; the validator drops this when a misspelling of it is already reported. */
  missing?: true;
}

export type Check<T> = (value: T) => Finding | Finding[] | undefined;

export function refine<T>(check: Check<T>) {
  return (value: T, ctx: z.RefinementCtx<T>): void => {
    const found = check(value);
    for (const f of found === undefined ? [] : Array.isArray(found) ? found : [found]) {
      ctx.addIssue({ code: 'custom', message: f.message, path: f.path, params: { hint: f.hint, at: f.at, missing: f.missing } });
    }
  };
}

/** True for `{…}` values; guards cross-field checks that run even when fields are invalid. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const isHostName = (s: string): boolean => s.length <= 253 && s.split('.').every((l) => LABEL.test(l));

/** `paletteEndpoint`: host name or IPv4 with optional `:port`; no scheme, no path. */
export const checkEndpoint: Check<string> = (v) => {
  const example = 'e.g. `api.spectrocloud.com` or `palette.example.com:443`';
  if (v.trim() === '') return { message: 'is empty', hint: `write the Palette host name, ${example}` };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(v);
  if (scheme) {
    const host = v.slice(scheme[0].length).split('/')[0] || 'api.spectrocloud.com';
    return {
      message: `must be a host name without a scheme, not \`${v}\``,
      hint: `write the host name only: \`paletteEndpoint: ${host}\``,
    };
  }
  if (v.includes('/')) {
    return { message: 'must be a host name without a path', hint: `write \`paletteEndpoint: ${v.split('/')[0]}\`` };
  }
  const [host = '', port, ...rest] = v.split(':');
  if (!isHostName(host) || rest.length > 0) {
    return { message: `\`${v}\` is not a valid host name`, hint: `use letters, digits, \`-\` and \`.\`, ${example}` };
  }
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) {
    return { message: `port \`${port}\` is not a number between 1 and 65535`, hint: `write \`${host}:443\` or just \`${host}\`` };
  }
  return undefined;
};

/** `edgeHostToken`: non-empty, no whitespace (a `|` block scalar would add a trailing newline). */
export const checkToken: Check<string> = (v) => {
  if (v.trim() === '') return { message: 'is empty', hint: 'paste the registration token from Palette (Tenant Settings → Registration Tokens)' };
  if (/\s/.test(v)) return { message: 'contains whitespace or a line break', hint: 'write the token on one line, in quotes, with nothing else: `edgeHostToken: "<token>"`' };
  return undefined;
};

/** `name` (host ID): 1–128 chars, no forbidden character, no whitespace. */
export const checkHostIdName: Check<string> = (v) => {
  if (v === '') return { message: 'is empty', hint: 'remove `name` to derive the host ID from the device UID, or set e.g. `name: edge-store-1`' };
  const bad = findForbiddenHostIdChar(v);
  if (bad !== undefined) {
    const what = bad === ' ' ? 'a space' : /\s/.test(bad) ? 'a whitespace character' : `the character \`${bad}\``;
    const fixed = Array.from(v, (ch) => (findForbiddenHostIdChar(ch) ? '-' : ch)).join('').replace(/-+/g, '-');
    return {
      message: `contains ${what}, which is not allowed in a host ID`,
      hint: `use letters, digits, \`-\` or \`_\` instead, e.g. \`name: ${fixed.slice(0, HOST_ID_MAX_LENGTH)}\``,
    };
  }
  if (v.length > HOST_ID_MAX_LENGTH) {
    return { message: `is ${v.length} characters long; host IDs are limited to ${HOST_ID_MAX_LENGTH}`, hint: 'shorten the name' };
  }
  return undefined;
};

/** `prefix`: letters, digits and `-` only. */
export const checkPrefix: Check<string> = (v) => {
  if (v === '') return { message: 'is empty', hint: 'remove `prefix` to use the default `edge`' };
  const bad = Array.from(v).find((ch) => !/[A-Za-z0-9-]/.test(ch));
  if (bad === undefined) return undefined;
  return {
    message: `contains ${bad === ' ' ? 'a space' : `the character \`${bad}\``}; a prefix may only use letters, digits and \`-\``,
    hint: `e.g. \`prefix: ${v.replace(/[^A-Za-z0-9-]+/g, '-')}\``,
  };
};

/**
 * The QR code on the console holds this URL with `?edgeHostId=<id>` after it (guest/os/qr.awk,
 * at most 213 bytes); this limit leaves room for a host ID of 60 characters.
 */
export const MAX_REGISTRATION_URL_LENGTH = 140;

export const checkRegistrationUrl: Check<string> = (v) => {
  if (!/^https?:\/\/\S+$/.test(v)) return { message: 'must be a full URL', hint: 'write e.g. `https://edge-register.example.com`' };
  if (!/^[\x21-\x7e]+$/.test(v)) return { message: 'has a character outside plain ASCII, which the console\'s QR code does not carry', hint: 'percent-encode it, e.g. `%C3%A9` for `é`' };
  if (v.length > MAX_REGISTRATION_URL_LENGTH) {
    return { message: `is ${v.length} characters long; the console's QR code holds at most ${MAX_REGISTRATION_URL_LENGTH} here (the host ID goes after it)`, hint: 'use a shorter address for the registration app' };
  }
  return undefined;
};

export const checkIPv4Cidr: Check<string> = (v) =>
  parseIPv4Cidr(v)
    ? undefined
    : { message: `\`${v}\` is not an IPv4 address`, hint: 'write e.g. `192.168.1.10` or `192.168.1.10/24`' };

export const checkIPv4: Check<string> = (v) =>
  isIPv4(v) ? undefined : { message: `\`${v}\` is not an IPv4 address`, hint: 'write e.g. `192.168.1.1`' };

export const checkMask: Check<string> = (v) =>
  maskPrefixLength(v) !== undefined
    ? undefined
    : { message: `\`${v}\` is not a valid netmask`, hint: 'write e.g. `255.255.255.0`, or put the prefix on ipAddress (`192.168.1.10/24`)' };

/** Linux network interface name usable as a shell word: 1–15 of [A-Za-z0-9_.-]. */
export const checkNicName: Check<string> = (v) =>
  /^[A-Za-z0-9_.-]{1,15}$/.test(v)
    ? undefined
    : { message: `\`${v}\` is not a valid interface name`, hint: 'use the kernel name, e.g. `eth0` or `enp1s0` (up to 15 letters, digits, `_`, `.`, `-`)', at: 'key' };

/** Linux user name: starts with a letter or `_`, then letters, digits, `_`, `-`; at most 32. */
export const checkUserName: Check<string> = (v) =>
  /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/.test(v)
    ? undefined
    : { message: `\`${v}\` is not a valid user name`, hint: 'start with a letter; use only letters, digits, `_` and `-` (at most 32)' };
