// The Edge Native cluster wizard (reference §6): its data and the checks Palette runs before
// "Finish Configuration". Basic information and profile here; pools in cluster-nodes.ts; VIP,
// overlay, static IPs, NTP and SSH keys in cluster-network.ts.
//
// Parameter overrides are keyed `<pack>.<value key>`, e.g. `edge-native-byoi.system.uri`. They
// replace that value of the profile's layer for this cluster only; the resulting profile must
// still pass the profile rules, and whatever an override breaks is reported at `parameters.<key>`.
import { z } from 'zod';
import { networkIssues } from './cluster-network';
import { hostStatuses, nodeIssues, type EdgeHostView } from './cluster-nodes';
import { error, hasErrors, parseWith, type PaletteIssue, type Parsed } from './issues';
import { checkName, checkTagList } from './names';
import { analyseProfile, type ClusterProfile, type ProfileOptions } from './profile';

export { hostStatuses };
/** Upgrading: Running while a newer profile version rolls over its hosts (upgrade.ts). */
export const clusterStatuses = ['Provisioning', 'Running', 'Upgrading', 'Deleting'] as const;
export const healthStatuses = ['Healthy', 'Unhealthy'] as const;
export type ClusterStatus = (typeof clusterStatuses)[number];
export type HealthStatus = (typeof healthStatuses)[number];

const staticIpSchema = z.object({ ip: z.string(), gateway: z.string(), subnetMask: z.string(), dns: z.string().optional() });
const poolHostSchema = z.object({ hostId: z.string(), staticIp: staticIpSchema.optional() });

export const clusterSpecSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  profile: z.object({ id: z.string(), version: z.string() }),
  parameters: z.record(z.string(), z.string()).optional(),
  vip: z.string(),
  ntpServers: z.array(z.string()).optional(),
  sshKeys: z.array(z.string()).optional(),
  overlay: z.object({ enabled: z.boolean(), cidr: z.string().optional() }).optional(),
  /** "Enable Two-Node Capability": exactly 2 control-plane hosts. */
  twoNode: z.boolean().optional(),
  controlPlanePool: z.object({ hosts: z.array(poolHostSchema), allowWorkerCapability: z.boolean() }),
  workerPool: z.object({ hosts: z.array(poolHostSchema) }).optional(),
});

export type ClusterSpec = z.infer<typeof clusterSpecSchema>;

export interface ClusterContext {
  /** The profile `spec.profile` names, at that version; undefined when it does not exist. */
  profile: ClusterProfile | undefined;
  hosts: readonly EdgeHostView[];
  /** The project the cluster is created in. */
  project: string;
  /** Names of the project's existing clusters. */
  clusterNames?: readonly string[];
  profileOptions?: ProfileOptions;
}

const key = (i: PaletteIssue): string => `${i.code} ${i.path}`;

/** Applies the overrides to a copy of the profile; unknown keys come back as issues. */
function applyParameters(profile: ClusterProfile, parameters: Readonly<Record<string, string>>): { profile: ClusterProfile; issues: PaletteIssue[]; pathOf: (p: string) => string } {
  const layers = profile.layers.map((l) => (l.type === 'manifest' ? l : { ...l, values: { ...l.values } }));
  const issues: PaletteIssue[] = [];
  const paths = new Map<string, string>();
  const byLayer = new Map<string, string[]>();
  const packs = layers.flatMap((l) => (l.type === 'manifest' ? [] : [l.pack]));
  for (const [k, v] of Object.entries(parameters)) {
    const dot = k.indexOf('.');
    const i = layers.findIndex((l) => l.type !== 'manifest' && l.pack === k.slice(0, dot));
    const layer = layers[i];
    if (dot <= 0 || dot === k.length - 1 || !layer || layer.type === 'manifest') {
      issues.push(error(`parameters.${k}`, 'parameter-unknown', `\`${k}\` does not name a value of a pack in this profile`, `write \`<pack>.<key>\` with one of the profile's packs (${packs.join(', ')}), e.g. \`edge-native-byoi.system.uri\``));
      continue;
    }
    layer.values![k.slice(dot + 1)] = v;
    paths.set(`layers[${i}].values.${k.slice(dot + 1)}`, `parameters.${k}`);
    byLayer.set(`layers[${i}]`, [...(byLayer.get(`layers[${i}]`) ?? []), `parameters.${k}`]);
  }
  // An issue lands on the override it names, else on the only override of its layer.
  const pathOf = (p: string): string => {
    const only = byLayer.get(/^layers\[\d+\]/.exec(p)?.[0] ?? '');
    return paths.get(p) ?? (only?.length === 1 ? only[0]! : 'parameters');
  };
  return { profile: { ...profile, layers }, issues, pathOf };
}

function profileIssues(spec: ClusterSpec, ctx: ClusterContext): { issues: PaletteIssue[]; facts: ReturnType<typeof analyseProfile>['facts'] } {
  const p = ctx.profile;
  const ref = `${spec.profile.id} (version ${spec.profile.version})`;
  if (!p) return { issues: [error('profile.id', 'profile-unknown', `there is no cluster profile ${ref}`, 'pick an existing Edge Native profile and one of its versions')], facts: {} };
  if (p.version !== spec.profile.version) {
    return { issues: [error('profile.version', 'profile-version-unknown', `profile ${p.name} has no version ${spec.profile.version}`, `pick version ${p.version}`)], facts: {} };
  }
  if (p.type !== 'full') {
    return { issues: [error('profile.id', 'profile-not-full', `profile ${p.name} is an add-on profile; a cluster needs a full profile (OS, Kubernetes, Network)`, 'pick a profile of type full')], facts: {} };
  }
  const base = analyseProfile(p, ctx.profileOptions);
  if (hasErrors(base.issues)) {
    const n = base.issues.filter((i) => i.severity === 'error').length;
    return { issues: [error('profile', 'profile-invalid', `profile ${p.name} ${p.version} has ${n} error${n === 1 ? '' : 's'}`, 'fix the profile (or pick another) before creating a cluster from it')], facts: base.facts };
  }
  const applied = applyParameters(p, spec.parameters ?? {});
  // The cluster needs the provider image the profile (with the wizard's values) resolves to.
  const effective = analyseProfile(applied.profile, { ...ctx.profileOptions, requireProviderImage: true });
  // The profile's own errors were answered above; a warning of the profile may be an error here.
  const known = new Set(base.issues.filter((i) => i.severity === 'error').map(key));
  const broken = effective.issues
    .filter((i) => i.severity === 'error' && !known.has(key(i)))
    .map((i) => ({ ...i, path: applied.pathOf(i.path) }));
  return { issues: [...applied.issues, ...broken], facts: effective.facts };
}

/** Checks the wizard's data; errors block "Finish Configuration", warnings do not. */
export function validateCluster(spec: ClusterSpec, ctx: ClusterContext): PaletteIssue[] {
  const issues = [...checkName(spec.name, 'name', 'cluster'), ...checkTagList(spec.tags ?? [], 'tags')];
  if (ctx.clusterNames?.includes(spec.name)) {
    issues.push(error('name', 'name-taken', `project ${ctx.project} already has a cluster named ${spec.name}`, 'choose another name, or delete the old cluster first'));
  }
  const profile = profileIssues(spec, ctx);
  issues.push(...profile.issues);
  const pools = nodeIssues(spec, ctx.hosts, ctx.project, profile.facts);
  issues.push(...pools.issues);
  const others = ctx.hosts.filter((h) => h.ip !== '').map((h) => ({ id: h.id, ip: h.ip }));
  issues.push(...networkIssues(spec, pools.nodes, others));
  return issues;
}

/** Shape check (zod) then validateCluster, for wizard data arriving as JSON. */
export function parseCluster(raw: unknown, ctx: ClusterContext): Parsed<ClusterSpec> {
  return parseWith(clusterSpecSchema, raw, (c) => validateCluster(c, ctx));
}
