// zod schema of `stylus.site` (reference §4, `stylus.site.*`). Objects are strict: unknown keys
// are errors. Cross-field rules that depend on `stylus.managementMode` live in schema.ts.
import { z } from 'zod';
import {
  checkEndpoint, checkHostIdName, checkIPv4, checkIPv4Cidr, checkMask, checkNicName, checkPrefix,
  checkRegistrationUrl, checkToken, checkUserName, isRecord, refine,
} from './rules';
import { PROJECT_UID_PATTERN } from '../palette/project-uid';
import { labUnsupported } from './lab-unsupported';
import { maskPrefixLength, parseIPv4Cidr } from './net';

const str = () => z.string().optional();
const bool = () => z.boolean().optional();
const strList = () => z.array(z.string()).optional();

/** A key the lab refuses whatever its value (lab-unsupported.ts). */
const refused = (schema: z.ZodType, path: string) => schema.superRefine(refine(() => labUnsupported(path))).optional();

/** `tagsFromFile`: an absolute path; delimiter (key from value) and separator (tag from tag) not empty. */
const tagsFromFile = z
  .strictObject({ fileName: z.string(), delimiter: str(), separator: str() })
  .superRefine(
    refine((t: { fileName: unknown; delimiter?: unknown; separator?: unknown }) => [
      ...(typeof t.fileName === 'string' && !t.fileName.startsWith('/')
        ? [{ message: `\`${t.fileName}\` is not an absolute path`, hint: 'name the file on the host from `/`, e.g. `fileName: /etc/os-release`', path: ['fileName'] }]
        : []),
      ...(['delimiter', 'separator'] as const)
        .filter((k) => t[k] === '')
        .map((k) => ({ message: 'is empty', hint: k === 'delimiter' ? 'remove it for `=` (key=value), or write e.g. `delimiter: ":"`' : 'remove it for a line break (one tag per line), or write e.g. `separator: ";"`', path: [k] })),
    ]),
    { when: (p) => isRecord(p.value) },
  );

/** Tag keys and values end up in `k=v,k2=v2` lists, so `=` and `,` are reserved. */
const tags = z.record(z.string(), z.string()).superRefine(
  refine((t: Record<string, string>) =>
    Object.entries(t).flatMap(([k, v]) => [
      ...(k === '' || /[=,]/.test(k)
        ? [{ message: `tag key \`${k}\` must be non-empty and may not contain \`=\` or \`,\``, path: [k], at: 'key' as const }]
        : []),
      ...(v.includes(',')
        ? [{ message: 'a tag value may not contain `,`', hint: 'split it into separate tags', path: [k] }]
        : []),
    ]),
  ),
);

const iface = z
  .strictObject({
    type: z.enum(['dhcp', 'static']),
    ipAddress: z.string().superRefine(refine(checkIPv4Cidr)).optional(),
    mask: z.string().superRefine(refine(checkMask)).optional(),
    gateway: z.string().superRefine(refine(checkIPv4)).optional(),
    nameserver: z.string().superRefine(refine(checkIPv4)).optional(),
  })
  .superRefine(
    refine((n) => {
      if (n.type !== 'static') return undefined;
      if (n.ipAddress === undefined) {
        return { message: 'a static interface needs `ipAddress`', hint: 'add e.g. `ipAddress: 192.168.1.10/24`, or use `type: dhcp`', path: ['ipAddress'] };
      }
      const prefix = typeof n.ipAddress === 'string' ? parseIPv4Cidr(n.ipAddress)?.prefix : undefined;
      const maskLen = typeof n.mask === 'string' ? maskPrefixLength(n.mask) : undefined;
      if (prefix !== undefined && maskLen !== undefined && prefix !== maskLen) {
        return { message: `\`${n.mask}\` is a /${maskLen} mask but ipAddress says /${prefix}`, hint: 'remove `mask` or make the two agree', path: ['mask'] };
      }
      return undefined;
    }),
    { when: (p) => isRecord(p.value) },
  );

const nicName = (map: Record<string, unknown>) =>
  Object.keys(map).flatMap((k) => {
    const f = checkNicName(k);
    return f && !Array.isArray(f) ? [{ ...f, path: [k] }] : [];
  });

const siteUser = z.strictObject({
  name: z.string().superRefine(refine(checkUserName)),
  passwd: str(),
  groups: strList(),
  ssh_authorized_keys: strList(),
  lock_passwd: bool(),
  passwordExpiry: z.union([z.number(), z.string()], { error: 'must be a number of days or a date' }).optional(),
});

export const siteSchema = z.strictObject({
  paletteEndpoint: z.string().superRefine(refine(checkEndpoint)).optional(),
  edgeHostToken: z.string().superRefine(refine(checkToken)).optional(),
  disableAutoRegister: bool(),
  projectName: str(),
  projectUid: z
    .string()
    .superRefine(refine((u: string) => (PROJECT_UID_PATTERN.test(u.trim().toLowerCase()) ? undefined : { message: `\`${u}\` is not a project UID`, hint: 'copy the 24-character UID from Tenant Settings > Projects' })))
    .optional(),
  name: z.string().superRefine(refine(checkHostIdName)).optional(),
  prefix: z.string().superRefine(refine(checkPrefix)).optional(),
  hostName: str(),
  deviceUIDPaths: z.array(z.strictObject({ name: z.string().min(1), regex: str() })).optional(),
  registrationURL: z.string().superRefine(refine(checkRegistrationUrl)).optional(),
  tags: tags.optional(),
  tagsFromFile: tagsFromFile.optional(),
  tagsFromScript: refused(z.unknown(), 'stylus.site.tagsFromScript'),
  network: z
    .strictObject({
      httpProxy: refused(z.unknown(), 'stylus.site.network.httpProxy'),
      httpsProxy: refused(z.unknown(), 'stylus.site.network.httpsProxy'),
      noProxy: refused(z.unknown(), 'stylus.site.network.noProxy'),
      nameserver: z.string().superRefine(refine(checkIPv4)).optional(),
      interfaces: z.record(z.string(), iface).superRefine(refine(nicName)).optional(),
    })
    .optional(),
  caCerts: refused(z.unknown(), 'stylus.site.caCerts'),
  insecureSkipVerify: refused(z.unknown(), 'stylus.site.insecureSkipVerify'),
  ntpServers: strList(),
  clusterId: str(),
  clusterName: str(),
  remoteShell: z.strictObject({ disable: bool() }).optional(),
  users: z.array(siteUser).optional(),
}).superRefine(
  refine((site: { projectName?: unknown; projectUid?: unknown }) =>
    site.projectName !== undefined && site.projectUid !== undefined
      ? { message: 'names the project twice: `projectName` and `projectUid` are both set', hint: 'keep one of them (Tenant Settings > Projects shows each project\'s name and UID)', path: ['projectUid'], at: 'key' as const }
      : undefined),
  { when: (p) => isRecord(p.value) },
);

export type SiteUserData = z.output<typeof siteSchema>;
