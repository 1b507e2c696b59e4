/**
 * The cluster wizard's pure logic (reference §6, Clusters › Add New Cluster › Edge Native): its
 * steps, its form state, the body POST /palette/v1/clusters gets (http-api.md, "The wizard's
 * data"), and where each issue of a refusal belongs: the field, and so the step, it is about.
 */
import type { FieldIssue } from '../../client/lab-api';
import type { EdgeHostRow, ProfileView } from '../../../../simulator/pure/palette/views';
import { compareVersions, isError } from './format';

export const WIZARD_STEPS = [
  { id: 'basic', title: 'Basic information' },
  { id: 'profile', title: 'Cluster profile' },
  { id: 'parameters', title: 'Parameters' },
  { id: 'config', title: 'Cluster configuration' },
  { id: 'nodes', title: 'Nodes configuration' },
  { id: 'settings', title: 'Settings' },
  // The product's last step: Palette validates the whole definition, then Finish Configuration.
  { id: 'review', title: 'Validate' },
] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number]['id'];

export const stepIndex = (step: WizardStep): number => WIZARD_STEPS.findIndex((s) => s.id === step);

export interface WizardForm {
  name: string;
  description: string;
  /** Comma-separated, as typed. */
  tags: string;
  profileName: string;
  profileVersion: string;
  /** Every value of the picked profile by `<pack>.<key>`, as edited; differing ones become overrides. */
  parameters: Record<string, string>;
  vip: string;
  /** One per line, as typed. */
  ntpServers: string;
  /** One per line, as typed. */
  sshKeys: string;
  overlayEnabled: boolean;
  overlayCidr: string;
  controlPlaneHosts: string[];
  allowWorkerCapability: boolean;
  twoNode: boolean;
  workerPoolEnabled: boolean;
  workerHosts: string[];
  /** Per host ID, as typed: a host with an entry gets a static IP (Nodes step, "Static IP"). */
  staticIps: Record<string, StaticIpForm>;
}

export interface StaticIpForm {
  ip: string;
  gateway: string;
  subnetMask: string;
  dns: string;
}

export const emptyStaticIp = (): StaticIpForm => ({ ip: '', gateway: '', subnetMask: '255.255.255.0', dns: '' });

/** The wizard before anything is typed: the real one pre-fills none of these. */
export function emptyForm(): WizardForm {
  return {
    name: '', description: '', tags: '', profileName: '', profileVersion: '', parameters: {},
    vip: '', ntpServers: '', sshKeys: '', overlayEnabled: false, overlayCidr: '',
    controlPlaneHosts: [], allowWorkerCapability: false, twoNode: false, workerPoolEnabled: false, workerHosts: [], staticIps: {},
  };
}

export interface ProfileValue {
  /** `<pack>.<key>`, the override's name. */
  key: string;
  pack: string;
  valueKey: string;
  value: string;
}

type ProfileLike = Pick<ProfileView['profile'], 'layers'>;

/** The values of the profile's pack layers, in layer order, as the Parameters step lists them. */
export function profileValues(profile: ProfileLike | undefined): ProfileValue[] {
  if (!profile) return [];
  return profile.layers.flatMap((l) => (l.type === 'manifest'
    ? []
    : Object.entries(l.values ?? {}).map(([valueKey, value]) => ({ key: `${l.pack}.${valueKey}`, pack: l.pack, valueKey, value }))));
}

/** Profile names, each once, sorted. */
export function profileNames(profiles: readonly Pick<ProfileView, 'name'>[]): string[] {
  return Array.from(new Set(profiles.map((p) => p.name))).sort();
}

/** The versions of one profile, highest first (the one the wizard offers first). */
export function versionsOf(profiles: readonly Pick<ProfileView, 'name' | 'version'>[], name: string): string[] {
  return profiles.filter((p) => p.name === name).map((p) => p.version).sort((a, b) => compareVersions(b, a));
}

export function findProfile<P extends Pick<ProfileView, 'name' | 'version'>>(profiles: readonly P[], name: string, version: string): P | undefined {
  return profiles.find((p) => p.name === name && p.version === version);
}

/** The form after picking a profile (and version): its values replace the parameters. */
export function pickProfile(form: WizardForm, profiles: readonly ProfileView[], name: string, version?: string): WizardForm {
  const v = version ?? versionsOf(profiles, name)[0] ?? '';
  const p = findProfile(profiles, name, v);
  return { ...form, profileName: name, profileVersion: v, parameters: Object.fromEntries(profileValues(p?.profile).map((x) => [x.key, x.value])) };
}

/** Items of a comma-separated or line-separated field, trimmed, empty ones dropped. */
export function splitList(text: string, by: 'comma' | 'line'): string[] {
  return text.split(by === 'comma' ? ',' : /\r?\n/).map((s) => s.trim()).filter((s) => s !== '');
}

/** The overrides: parameters whose value differs from the profile's. */
export function overrides(form: WizardForm, profile: ProfileLike | undefined): Record<string, string> {
  const base = new Map(profileValues(profile).map((v) => [v.key, v.value]));
  return Object.fromEntries(Object.entries(form.parameters).filter(([k, v]) => base.get(k) !== v));
}

export interface PoolHostBody {
  hostId: string;
  staticIp?: { ip: string; gateway: string; subnetMask: string; dns?: string };
}

export interface ClusterBody {
  name: string;
  description?: string;
  tags?: string[];
  profile: { id: string; version: string };
  parameters?: Record<string, string>;
  vip: string;
  ntpServers?: string[];
  sshKeys?: string[];
  overlay?: { enabled: boolean; cidr?: string };
  twoNode?: boolean;
  controlPlanePool: { hosts: PoolHostBody[]; allowWorkerCapability: boolean };
  workerPool?: { hosts: PoolHostBody[] };
}

/** A pool entry: the host, and its static IP when the form gives it one (fields trimmed). */
function poolHost(form: WizardForm, hostId: string): PoolHostBody {
  const s = form.staticIps[hostId];
  if (!s) return { hostId };
  const dns = s.dns.trim();
  return { hostId, staticIp: { ip: s.ip.trim(), gateway: s.gateway.trim(), subnetMask: s.subnetMask.trim(), ...(dns ? { dns } : {}) } };
}

/** POST /palette/v1/clusters' body; optional fields only when the form has something for them. */
export function buildClusterBody(form: WizardForm, profile: ProfileLike | undefined): ClusterBody {
  const tags = splitList(form.tags, 'comma');
  const ntp = splitList(form.ntpServers, 'line');
  const keys = splitList(form.sshKeys, 'line');
  const params = overrides(form, profile);
  const workers = form.workerPoolEnabled ? form.workerHosts : [];
  return {
    name: form.name.trim(),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    ...(tags.length > 0 ? { tags } : {}),
    profile: { id: form.profileName, version: form.profileVersion },
    ...(Object.keys(params).length > 0 ? { parameters: params } : {}),
    vip: form.vip.trim(),
    ...(ntp.length > 0 ? { ntpServers: ntp } : {}),
    ...(keys.length > 0 ? { sshKeys: keys } : {}),
    ...(form.overlayEnabled ? { overlay: { enabled: true, ...(form.overlayCidr.trim() ? { cidr: form.overlayCidr.trim() } : {}) } } : {}),
    ...(form.twoNode ? { twoNode: true } : {}),
    controlPlanePool: { hosts: form.controlPlaneHosts.map((hostId) => poolHost(form, hostId)), allowWorkerCapability: form.allowWorkerCapability },
    ...(workers.length > 0 ? { workerPool: { hosts: workers.map((hostId) => poolHost(form, hostId)) } } : {}),
  };
}

/**
 * The wizard field an issue belongs on. Fields are the paths of the body the wizard has an input
 * for; a pool entry's issue goes on its host (`controlPlanePool.hosts:edge-host-1`), or on that
 * host's static IP field (`controlPlanePool.hosts:edge-host-1.staticIp.gateway`), found through
 * the body that was sent. Anything else is `general` (shown on Review).
 */
export function fieldOf(path: string, sent: Pick<ClusterBody, 'controlPlanePool' | 'workerPool'> | null): string {
  const pool = /^(controlPlanePool|workerPool)\.hosts\[(\d+)\](?:\.staticIp\.(ip|gateway|subnetMask|dns)\b)?/.exec(path);
  if (pool) {
    const hostId = sent?.[pool[1] as 'controlPlanePool' | 'workerPool']?.hosts[Number(pool[2])]?.hostId;
    if (!hostId) return `${pool[1]}`;
    return pool[3] ? `${pool[1]}.hosts:${hostId}.staticIp.${pool[3]}` : `${pool[1]}.hosts:${hostId}`;
  }
  if (path.startsWith('parameters.')) return path;
  const head = /^[A-Za-z]+/.exec(path)?.[0] ?? '';
  switch (head) {
    case 'name': case 'description': case 'tags': case 'vip': case 'ntpServers': case 'sshKeys': case 'twoNode': case 'parameters':
      return head;
    case 'profile': return 'profile';
    case 'overlay': return path.startsWith('overlay.cidr') ? 'overlay.cidr' : 'overlay';
    case 'controlPlanePool': return path.startsWith('controlPlanePool.allowWorkerCapability') ? 'controlPlanePool.allowWorkerCapability' : 'controlPlanePool';
    case 'workerPool': return 'workerPool';
    default: return 'general';
  }
}

const STEP_OF_HEAD: Record<string, WizardStep> = {
  name: 'basic', description: 'basic', tags: 'basic',
  profile: 'profile',
  parameters: 'parameters',
  vip: 'config', ntpServers: 'config', sshKeys: 'config', overlay: 'config',
  controlPlanePool: 'nodes', workerPool: 'nodes', twoNode: 'nodes',
};

/** The step that holds a field (as fieldOf names it). */
export function stepOfField(field: string): WizardStep {
  return STEP_OF_HEAD[/^[A-Za-z]+/.exec(field)?.[0] ?? ''] ?? 'review';
}

/** Issues by the field they belong on, in the server's order. */
export function placeIssues(issues: readonly FieldIssue[], sent: ClusterBody | null): Map<string, FieldIssue[]> {
  const byField = new Map<string, FieldIssue[]>();
  for (const i of issues) {
    const f = fieldOf(i.path, sent);
    byField.set(f, [...(byField.get(f) ?? []), i]);
  }
  return byField;
}

/** The earliest step with an error (warnings never block), or null. */
export function firstFailingStep(issues: readonly FieldIssue[], sent: ClusterBody | null): WizardStep | null {
  let best: number | null = null;
  for (const i of issues) {
    if (!isError(i)) continue;
    const at = stepIndex(stepOfField(fieldOf(i.path, sent)));
    if (best === null || at < best) best = at;
  }
  return best === null ? null : WIZARD_STEPS[best]!.id;
}

/** Steps with at least one error, for the step list's marks. */
export function failingSteps(issues: readonly FieldIssue[], sent: ClusterBody | null): Set<WizardStep> {
  return new Set(issues.filter(isError).map((i) => stepOfField(fieldOf(i.path, sent))));
}

/** `Line 2` for the second entry of a list field (`ntpServers[1]`), else undefined. */
export function listItemLabel(path: string): string | undefined {
  const m = /^(ntpServers|sshKeys|tags)\[(\d+)\]/.exec(path);
  if (!m) return undefined;
  return m[1] === 'tags' ? `Tag ${Number(m[2]) + 1}` : `Line ${Number(m[2]) + 1}`;
}

/**
 * Hosts a pool can offer: the Ready ones (reference: the picker lists paired, Ready hosts), plus
 * any already picked that are no longer Ready (so they can be unpicked), minus `exclude`.
 */
export function poolChoices(hosts: readonly EdgeHostRow[], picked: readonly string[], exclude: readonly string[] = []): EdgeHostRow[] {
  return hosts.filter((h) => !exclude.includes(h.hostId) && (h.status === 'Ready' || picked.includes(h.hostId)));
}

/** `list` with `id` in or out, keeping the order hosts were picked in. */
export function toggled(list: readonly string[], id: string, on: boolean): string[] {
  const rest = list.filter((x) => x !== id);
  return on ? [...rest, id] : rest;
}

/** What Review shows, label and value, from the body about to be sent. */
const hostLine = (h: PoolHostBody): string =>
  (h.staticIp ? `${h.hostId} (static IP ${h.staticIp.ip}/${h.staticIp.subnetMask}, gateway ${h.staticIp.gateway}${h.staticIp.dns ? `, DNS ${h.staticIp.dns}` : ''})` : h.hostId);

export function reviewRows(body: ClusterBody): [string, string][] {
  const none = 'none';
  return [
    ['Name', body.name || '(not set)'],
    ['Description', body.description ?? none],
    ['Tags', body.tags?.join(', ') ?? none],
    ['Cluster profile', body.profile.id ? `${body.profile.id} ${body.profile.version}` : '(not picked)'],
    ['Parameter overrides', body.parameters ? Object.entries(body.parameters).map(([k, v]) => `${k} = ${v}`).join('; ') : none],
    ['VIP', body.vip || '(not set)'],
    ['NTP servers', body.ntpServers?.join(', ') ?? none],
    ['SSH keys', body.sshKeys ? `${body.sshKeys.length} key${body.sshKeys.length === 1 ? '' : 's'}` : none],
    ['Overlay network', body.overlay ? `on, ${body.overlay.cidr ?? 'default range'}` : 'off'],
    ['Control-plane pool', body.controlPlanePool.hosts.map(hostLine).join(', ') || '(no hosts)'],
    ['Allow worker capability', body.controlPlanePool.allowWorkerCapability ? 'yes' : 'no'],
    ['Two-node capability', body.twoNode ? 'on' : 'off'],
    ['Worker pool', body.workerPool?.hosts.map(hostLine).join(', ') ?? none],
  ];
}

/**
 * Issues of `step` whose field has no input on screen (`shown`), so the step can list them at its
 * top and no issue goes unseen. Review takes the `general` ones too.
 */
export function leftoverIssues(byField: ReadonlyMap<string, FieldIssue[]>, step: WizardStep, shown: readonly string[]): FieldIssue[] {
  return Array.from(byField.entries())
    .filter(([field]) => stepOfField(field) === step && !shown.includes(field))
    .flatMap(([, list]) => list);
}
