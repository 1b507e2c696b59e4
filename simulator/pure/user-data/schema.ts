// zod (v4) schema of Edge Installer user-data (reference §4 "User-data"): top-level `stylus`,
// `install` and `stages`. Objects are strict except stage steps, which Kairos/yip extends freely.
// Bad values produce custom issues whose `params.hint` says how to fix them (see rules.ts).
// Cross-field rules run even when sibling fields are invalid, so all problems surface at once.
import { z } from 'zod';
import { checkUserName, isRecord, refine, type Finding } from './rules';
import { siteSchema } from './schema-site';

const str = () => z.string().optional();
const bool = () => z.boolean().optional();
const port = () => z.number().int().min(1).max(65535).optional();

/** Kairos cloud-init stages; each may also be written with a `.before` or `.after` suffix. */
export const KAIROS_STAGES = [
  'rootfs', 'initramfs', 'boot', 'fs', 'network', 'reconcile',
  'after-install', 'after-install-chroot', 'after-upgrade', 'after-upgrade-chroot',
  'after-reset', 'after-reset-chroot', 'before-install', 'before-upgrade', 'before-reset',
] as const;

export const STAGE_KEYS: readonly string[] = KAIROS_STAGES.flatMap((s) => [s, `${s}.before`, `${s}.after`]);

const stylusSchema = z.strictObject({
  debug: bool(),
  trace: bool(),
  managementMode: z.enum(['central', 'local']).optional(),
  disableTui: bool(),
  includeTui: bool(),
  enableMultiNode: bool(),
  featureGate: str(),
  localUI: z.strictObject({ port: port(), login: z.looseObject({}).optional() }).optional(),
  disablePasswordUpdate: bool(),
  path: str(),
  registryCredentials: z
    .strictObject({ domain: str(), username: str(), password: str(), encodedPassword: bool(), insecure: bool() })
    .optional(),
  externalRegistries: z
    .strictObject({
      registries: z.array(z.looseObject({})).optional(),
      registryMappingRules: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  imageRedirectWebhook: z.strictObject({ enable: bool(), port: port() }).optional(),
  vip: z.strictObject({ skip: bool() }).optional(),
  site: siteSchema.optional(),
});

const FS = z.enum(['ext2', 'ext3', 'ext4', 'xfs', 'btrfs']);
const sizeMiB = () => z.number().int().nonnegative().optional();

const installSchema = z
  .strictObject({
    poweroff: z.boolean().default(false),
    reboot: z.boolean().default(false),
    bind_mounts: z.array(z.string()).optional(),
    'extra-dirs-rootfs': z.array(z.string()).optional(),
    grub_options: z.strictObject({ extra_cmdline: str() }).optional(),
    partitions: z.strictObject({ persistent: z.strictObject({ size: sizeMiB(), fs: FS.optional() }).optional() }).optional(),
    'extra-partitions': z.array(z.strictObject({ name: str(), size: sizeMiB(), fs: FS.optional(), label: str() })).optional(),
  })
  .superRefine(
    refine((i: { reboot?: unknown; poweroff?: unknown }) =>
      i.reboot === true && i.poweroff === true
        ? {
            message: '`reboot` and `poweroff` are both true',
            hint: 'choose one: `reboot: true` boots the installed system, `poweroff: true` ships the host switched off',
            path: ['poweroff'],
          }
        : undefined,
    ),
    { when: (p) => isRecord(p.value) },
  );

/** One yip step. Loose: unknown keys are kept (lint.ts warns about near-misses). */
export const stepSchema = z.looseObject({
  name: str(),
  if: str(),
  commands: z.array(z.string()).optional(),
  users: z
    .record(z.string(), z.looseObject({ passwd: str(), groups: z.array(z.string()).optional(), ssh_authorized_keys: z.array(z.string()).optional() }))
    .superRefine(refine((u: Record<string, unknown>) => Object.keys(u).flatMap((k) => withKey(checkUserName(k), k))))
    .optional(),
  files: z.array(z.looseObject({ path: z.string() })).optional(),
  directories: z.array(z.looseObject({ path: z.string() })).optional(),
  ssh_authorized_keys: z.record(z.string(), z.array(z.string())).optional(),
  hostname: str(),
  environment: z.record(z.string(), z.string()).optional(),
});

function withKey(f: Finding | Finding[] | undefined, key: string): Finding[] {
  return f === undefined ? [] : (Array.isArray(f) ? f : [f]).map((x) => ({ ...x, path: [key], at: 'key' as const }));
}

const stagesSchema = z.strictObject(
  Object.fromEntries(STAGE_KEYS.map((k) => [k, z.array(stepSchema).optional()])) as Record<
    string,
    z.ZodOptional<z.ZodArray<typeof stepSchema>>
  >,
);

/** Central mode (the default) needs an endpoint and a registration token (reference §5). */
const centralModeRules = refine((root: Record<string, unknown>) => {
  const stylus = root.stylus;
  if (stylus !== undefined && !isRecord(stylus)) return undefined;
  const mode = stylus?.managementMode;
  if (mode !== undefined && mode !== 'central') return undefined;
  const site = stylus?.site;
  if (site !== undefined && !isRecord(site)) return undefined;
  const missing: Finding[] = [];
  const orLocal = ', or set `stylus.managementMode: local`';
  if (site?.paletteEndpoint === undefined) {
    missing.push({
      message: 'is required in central management mode',
      hint: `add \`paletteEndpoint: api.spectrocloud.com\` (your Palette host name) under \`stylus.site\`${orLocal}`,
      path: ['stylus', 'site', 'paletteEndpoint'],
      missing: true,
    });
  }
  if (site?.edgeHostToken === undefined) {
    missing.push({
      message: 'is required in central management mode; every registration method needs it',
      hint: `add \`edgeHostToken: <token>\` under \`stylus.site\` with a token from Palette → Tenant Settings → Registration Tokens${orLocal}`,
      path: ['stylus', 'site', 'edgeHostToken'],
      missing: true,
    });
  }
  return missing;
});

const userDataShape = z.strictObject({
  stylus: stylusSchema.optional(),
  install: installSchema.optional(),
  stages: stagesSchema.optional(),
});

export const userDataSchema = userDataShape.superRefine(centralModeRules, { when: (p) => isRecord(p.value) });

/**
 * Site user data (a CIDATA stick, read at the first boot from disk): only what it adds or
 * changes, so nothing is required. `install` is refused (the install is over by then); `stages`
 * too, as a lab limit: the lab runs the stages compiled onto the installer stick only.
 */
const siteOnlyRules = refine((root: Record<string, unknown>) => [
  ...(root.install !== undefined
    ? [{ message: '`install` is read by the installer, and site user data is read after the install, at the first boot from disk', hint: 'move it to the installer\'s user data', path: ['install'], at: 'key' as const }]
    : []),
  ...(root.stages !== undefined
    ? [{ message: 'Edge Lab runs only the stages of the installer\'s user data (compiled onto the installer stick), not those of site user data', hint: 'move the stages to the installer\'s user data', path: ['stages'], at: 'key' as const }]
    : []),
]);

export const siteUserDataSchema = userDataShape.superRefine(siteOnlyRules, { when: (p) => isRecord(p.value) });

export type UserData = z.output<typeof userDataSchema>;
