/**
 * How each step of a scenario is performed, written once: the headless runner
 * (simulator/scenarios/run-scenario.ts) plays them all in order, and a page's
 * "Show me" performs the one the reader is at (src/lab/client/scenario-driver.ts).
 * Each step acts through a ScenarioDriver (the lab's HTTP API, its commands, its
 * view, a host's console) and then waits for the lab's own view to show the
 * result. What a step needs from earlier ones (the token's value, the installer,
 * the host IDs) is kept in a memo, and read back from the lab when the memo does
 * not have it, so any step can be done on its own in the middle of a guide.
 * Pure: no I/O of its own, no Node or DOM.
 */
import { HANDOFF_STEP_PATH, LAB_STEPS, PHASE_LABELS, stepAt, type LabPhase } from '../machines/lab.steps';
import { leafPaths } from '../machines/state-paths';
import type { HostMachineView, LabView, MachineView } from '../protocol/common';
import type { Scenario } from './types';

export type DriverMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type DriverTarget = { kind: 'lab' } | { kind: 'host'; hostId: string };

/** What a step may do to a lab: the doors a reader's page has, no more. */
export interface ScenarioDriver {
  /**
   * The lab's HTTP API; `path` is below /labs/<id>. Resolves with the parsed body when the status
   * is one of `okStatuses`, and rejects otherwise, saying what it was `doing`. The replies have no
   * shared type (`any`): each step reads the fields it needs.
   */
  call(method: DriverMethod, path: string, body: unknown, okStatuses: readonly number[], doing: string): Promise<any>;
  /** A command over the lab socket; rejects with the lab's message when it is refused. */
  command(target: DriverTarget, name: string, args?: Record<string, string>): Promise<void>;
  /**
   * Resolves with the first view (the current one or a later one) for which `pred` holds; rejects
   * after `timeoutMs`, or as soon as `trouble` names a reason the wait is hopeless.
   */
  waitForView(pred: (v: LabView) => boolean, timeoutMs: number, what: string, trouble?: (v: LabView) => string | null): Promise<LabView>;
  /** Types `command` on the host's serial console and resolves with what it printed. */
  run(host: string, command: string, timeoutMs: number): Promise<string>;
}

/** What earlier steps produced; a step reads it back from the lab when it is missing. */
export interface ScenarioMemo {
  /** The registration token's value (a credential: kept in memory only). */
  token?: string;
  /** The id of the installer built. */
  installer?: string;
  /** Palette's host IDs of the scenario's hosts, in the scenario's order. */
  hostIds?: readonly string[];
}

export interface StepOptions {
  /** Longest wait for a cluster to be Running. Default 10 minutes. */
  clusterTimeoutMs?: number;
}

export type StepAction = (driver: ScenarioDriver, scenario: Scenario, memo: ScenarioMemo, options?: StepOptions) => Promise<string>;

export interface ScenarioStep {
  /** The step's state in the lab chart (lab.steps.ts), or `verify` for the check at the end. */
  path: string;
  phase: LabPhase | 'verify';
  /** What the step is called in a run's report. */
  title: (s: Scenario) => string;
  /** What the step is called on a page (lab.steps.ts's label for the lab's steps). */
  label: (s: Scenario) => string;
  /** One line: what the reader does by hand for this step. */
  byHand: (s: Scenario) => string;
  /** Performs the step; resolves with a short detail for the report ('' for none). */
  perform: StepAction;
}

/** The Palette endpoint name the lab's guests resolve to the lab (labs/lab-space.ts). */
export const PALETTE_ENDPOINT = 'api.palette.lab';
/** The step after the lab's last one (not a lab state): the scenario's verify command on a host. */
export const VERIFY_PATH = 'verify';

const MINUTE = 60_000;

// The lab's JSON replies, read field by field (each step checks what it uses).
type Reply = any;
const labData = (v: LabView): LabView['data'] => v.data;
const hostData = (h: HostMachineView | undefined): Partial<HostMachineView['data']> => h?.data ?? {};
const phaseStatus = (v: LabView, id: string): string | undefined => v.phases.find((p) => p.id === id)?.status;
const hostStates = (h: MachineView | undefined): string[] => (h ? leafPaths(h.state) : []);
const host = (name: string): DriverTarget => ({ kind: 'host', hostId: name });
const hostNames = (s: Scenario): string => s.hosts.map((h) => h.name).join(', ');

/** The path of the lab step the view is at, `done` when every phase is done. */
export function labStepPath(v: LabView): string {
  const step = labData(v).step;
  if (step?.path) return step.path;
  return v.phases.length > 0 && v.phases.every((p) => p.status === 'done') ? 'done' : '';
}

/**
 * Why a wait for progress can stop early: a host reported a failed command or a
 * fault (failed install, no bootable device, failed provisioning). Null when none did.
 */
export function hostTrouble(v: LabView): string | null {
  for (const [name, h] of Object.entries(v.hosts)) {
    const d = hostData(h);
    if (d.commandError) return `${name}: ${d.commandError.command} failed: ${d.commandError.message}`;
    if (d.fault) return `${name} is in trouble (${h.label}): ${d.fault.reason}`;
  }
  return null;
}

/** hostTrouble, and a host whose registration Palette refuses (it asks again, but in vain). */
function registrationTrouble(v: LabView): string | null {
  const t = hostTrouble(v);
  if (t) return t;
  for (const [name, h] of Object.entries(v.hosts)) {
    const d = hostData(h);
    if (hostStates(h).includes('powered.registrationMode.registrationRefused')) return `${name}: registration refused (${d.refusal ?? 'unknown'}). ${d.hint ?? ''}`.trim();
  }
  return null;
}

const INSTALLER_STATES: readonly string[] = ['powered.installerBooted', 'powered.installing', 'powered.installed', 'powered.shuttingDown'];

/** The host runs the installer (booted from the stick, installing, or about to power off). */
function onInstaller(h: MachineView | undefined): boolean {
  return hostStates(h).some((s) => INSTALLER_STATES.includes(s));
}

/** The lab's view as it is now. */
export function currentView(d: ScenarioDriver): Promise<LabView> {
  return d.waitForView(() => true, 30_000, 'the lab view');
}

// --- what earlier steps produced, read back from the lab --------------------------

interface TokenRow { name?: string; expired?: boolean; createdAt?: number }

async function listTokens(d: ScenarioDriver): Promise<TokenRow[]> {
  const body: Reply = await d.call('GET', '/palette/v1/tokens', undefined, [200], 'listing the registration tokens');
  return Array.isArray(body?.tokens) ? (body.tokens as TokenRow[]) : [];
}

/**
 * A token's value. Palette's list leaves values out (it shows one once, at creation); the lab's own
 * value call stands in for the admin handing over the value they saved.
 */
async function tokenValue(d: ScenarioDriver, name: string): Promise<string> {
  const body: Reply = await d.call('GET', `/palette/v1/tokens/${encodeURIComponent(name)}/value`, undefined, [200], `reading the value of token ${name}`);
  return typeof body?.value === 'string' ? body.value : '';
}

/** The token's value: the memo's, else the scenario's token by name, else the newest valid one. */
export async function recoverToken(d: ScenarioDriver, s: Scenario, memo: ScenarioMemo): Promise<string> {
  if (memo.token) return memo.token;
  const tokens = (await listTokens(d)).filter((t) => typeof t.name === 'string' && !t.expired);
  const t = tokens.find((x) => x.name === s.tokenName) ?? tokens.at(-1);
  const value = t?.name ? await tokenValue(d, t.name) : '';
  if (!value) throw new Error(`Palette has no valid registration token yet (looked for ${s.tokenName}); create one first.`);
  memo.token = value;
  return value;
}

/** The installer's id: the memo's, else the latest installer built in this lab. */
export async function recoverInstaller(d: ScenarioDriver, memo: ScenarioMemo): Promise<string> {
  if (memo.installer) return memo.installer;
  const body: Reply = await d.call('GET', '/installers', undefined, [200], 'listing the installers');
  const latest = (Array.isArray(body?.installers) ? (body.installers as { id?: unknown }[]) : []).at(-1);
  if (typeof latest?.id !== 'string') throw new Error('No Edge Installer has been built in this lab yet; build one first.');
  memo.installer = latest.id;
  return latest.id;
}

/** Palette's host IDs: the memo's, else what each host's agent said (the view's hosts), else its name. */
export async function recoverHostIds(d: ScenarioDriver, s: Scenario, memo: ScenarioMemo): Promise<readonly string[]> {
  if (memo.hostIds) return memo.hostIds;
  const v = await currentView(d);
  const ids = s.hosts.map((h) => String(hostData(v.hosts[h.name]).hostId ?? h.name));
  memo.hostIds = ids;
  return ids;
}

/** Everything the memo can hold, read from the lab; what the lab does not have yet stays out. */
export async function recoverMemo(d: ScenarioDriver, s: Scenario, memo: ScenarioMemo = {}): Promise<ScenarioMemo> {
  await recoverToken(d, s, memo).catch(() => undefined);
  await recoverInstaller(d, memo).catch(() => undefined);
  await recoverHostIds(d, s, memo);
  return memo;
}

// --- the steps ----------------------------------------------------------------------

const saveProfile: StepAction = async (d, s) => {
  await d.call('POST', '/palette/v1/profiles', s.profile, [200, 201], 'saving the profile');
  await d.waitForView((v) => phaseStatus(v, 'model-profile') === 'done', MINUTE, 'the profile step to be done');
  return `${s.profile.name} ${s.profile.version}`;
};

const tokenValueOf = (reply: Reply): string => String(reply?.value ?? reply?.token?.value ?? '');
const nameTaken = (reply: Reply): boolean =>
  Array.isArray(reply?.issues) && (reply.issues as { path?: string; code?: string }[]).some((i) => i.path === 'name' && i.code === 'name-taken');

const createToken: StepAction = async (d, s, memo) => {
  const tokens = '/palette/v1/tokens';
  const body = { name: s.tokenName, project: s.project };
  let reply: Reply = await d.call('POST', tokens, body, [200, 201, 422], 'creating the token');
  if (nameTaken(reply)) {
    // Made earlier under the same name: still valid, it is the token; expired, it is replaced.
    const old = (await listTokens(d)).find((t) => t.name === s.tokenName);
    if (old && !old.expired) reply = { token: { value: await tokenValue(d, s.tokenName) } };
    else {
      await d.call('DELETE', `${tokens}/${encodeURIComponent(s.tokenName)}`, undefined, [200], 'removing the expired token');
      reply = await d.call('POST', tokens, body, [200, 201], 'creating the token');
    }
  } else if (reply?.error) {
    throw new Error(`creating the token failed (POST ${tokens} → 422): ${JSON.stringify(reply).slice(0, 600)}`);
  }
  const value = tokenValueOf(reply);
  if (!value) throw new Error(`the token reply carries no value: ${JSON.stringify(reply)}`);
  memo.token = value;
  return s.tokenName;
};

const buildInstaller: StepAction = async (d, s, memo) => {
  const token = await recoverToken(d, s, memo);
  const first = s.hosts[0]!;
  const built: Reply = await d.call('POST', '/installers', { userData: s.userData({ token, endpoint: PALETTE_ENDPOINT, host: first }) }, [200, 201], 'building the installer');
  const id = String(built.id);
  memo.installer = id;
  await d.waitForView((v) => labData(v).installer === id, MINUTE, 'the lab to record the installer');
  return `${built.id} (${built.sha256?.slice(0, 12) ?? '?'}…, ${Math.round((built.size ?? 0) / 1024)} KiB)`;
};

const installHosts: StepAction = async (d, s, memo) => {
  const installer = await recoverInstaller(d, memo);
  const v = await currentView(d);
  const installed = labData(v).installedHosts ?? [];
  for (const h of s.hosts) {
    if (installed.includes(h.name)) continue;
    const hv = v.hosts[h.name];
    if (!hostData(hv).usbInserted) await d.command(host(h.name), 'INSERT_USB', { image: installer });
    // Off: power on, and it boots from the stick. On but not installing (stuck, or up from its disk): restart it.
    if (!hv || hv.tags.includes('off')) await d.command(host(h.name), 'POWER_ON');
    else if (!onInstaller(hv) && hv.allowed.includes('RESET')) await d.command(host(h.name), 'RESET');
  }
  // Installed: the lab waits for the handoff (or is past it, if someone handed the hosts over already).
  const installedAll = (x: LabView): boolean => labStepPath(x) === HANDOFF_STEP_PATH || phaseStatus(x, 'install-handoff') === 'done';
  await d.waitForView(installedAll, 5 * MINUTE, 'every host to finish installing', hostTrouble);
  await d.waitForView((x) => s.hosts.every((h) => x.hosts[h.name]?.tags.includes('off')), 2 * MINUTE, 'the hosts to power off after installing', hostTrouble);
  return '';
};

/** IT/Ops hands the installed hosts over to the site: the lab command HAND_OFF, then the lab is at Registration. */
const handOffHosts: StepAction = async (d) => {
  if (labStepPath(await currentView(d)) === HANDOFF_STEP_PATH) await d.command({ kind: 'lab' }, 'HAND_OFF');
  await d.waitForView((x) => phaseStatus(x, 'install-handoff') === 'done', MINUTE, 'the lab to record the handoff');
  return 'the hosts are with the site technician';
};

const registerHosts: StepAction = async (d, s, memo) => {
  const v = await d.waitForView((x) => s.hosts.every((h) => !onInstaller(x.hosts[h.name])), 2 * MINUTE, 'the hosts to be done with the installer', hostTrouble);
  const registered = labData(v).registeredHosts ?? [];
  for (const h of s.hosts) {
    if (registered.includes(h.name)) continue;
    const hv = v.hosts[h.name];
    if (!hv || hostData(hv).usbInserted) await d.command(host(h.name), 'REMOVE_USB');
    if (!hv || hv.tags.includes('off')) await d.command(host(h.name), 'POWER_ON');
  }
  const done = await waitForRegistration(d, s);
  const ids = s.hosts.map((h) => String(hostData(done.hosts[h.name]).hostId ?? h.name));
  memo.hostIds = ids;
  return ids.join(', ');
};

/**
 * Waits for every host to register. A host whose user data turns automatic registration off
 * says at once that it waits to be added in Palette (awaitingApproval); the admin then adds
 * its ID, as the guide's "Add Edge Hosts" does, rather than the run waiting out its time.
 */
async function waitForRegistration(d: ScenarioDriver, s: Scenario): Promise<LabView> {
  const added = new Set<string>();
  const awaiting = (x: LabView): string[] => s.hosts
    .map((h) => x.hosts[h.name])
    .filter((h): h is HostMachineView => hostStates(h).includes('powered.registrationMode.awaitingApproval'))
    .map((h) => String(hostData(h).hostId ?? ''))
    .filter((id) => id !== '' && !added.has(id));
  for (;;) {
    const v = await d.waitForView((x) => phaseStatus(x, 'registration') === 'done' || awaiting(x).length > 0, 5 * MINUTE, 'every host to register', registrationTrouble);
    const ids = awaiting(v);
    if (ids.length === 0) return v;
    await d.call('POST', '/palette/v1/edgehosts', { hostIds: ids, project: s.project }, [200, 201], `adding ${ids.join(', ')} in Palette (manual registration)`);
    for (const id of ids) added.add(id);
  }
}

const createCluster: StepAction = async (d, s, memo) => {
  const cluster = s.cluster(await recoverHostIds(d, s, memo));
  await d.call('POST', '/palette/v1/clusters', cluster, [200, 201], 'creating the cluster');
  await d.waitForView((v) => labData(v).cluster === cluster.name, MINUTE, 'the lab to see the cluster');
  return cluster.name;
};

const waitForRunning: StepAction = async (d, s, memo, o = {}) => {
  const v = await d.waitForView((x) => phaseStatus(x, 'cluster-provisioning') === 'done', o.clusterTimeoutMs ?? 10 * MINUTE, 'the cluster to be Running', hostTrouble);
  const name = s.cluster(await recoverHostIds(d, s, memo)).name;
  return v.clusters[name]?.label ?? 'Running';
};

/** The host the verify command is typed on: the first control-plane host. */
function verifyHost(s: Scenario, ids: readonly string[]): string {
  const first = s.cluster(ids).controlPlanePool.hosts[0]?.hostId;
  return s.hosts[ids.indexOf(first ?? '')]?.name ?? s.hosts[0]!.name;
}

/**
 * Types the verify command until its output shows what the scenario expects, up to
 * VERIFY_TRIES times three seconds apart (the pause typed on the console: this module keeps no
 * timers), as a person re-runs kubectl: a cluster that has just turned Running may still be
 * electing its etcd leader (several members on an emulated, busy machine), and kubectl then
 * answers "request timed out" for a few seconds. The last wrong answer is the failure's.
 */
const VERIFY_TRIES = 20;
const verify: StepAction = async (d, s, memo) => {
  const ids = await recoverHostIds(d, s, memo);
  const expected = s.verify.expect(ids, s.cluster(ids));
  for (let attempt = 1; ; attempt++) {
    const out = await d.run(verifyHost(s, ids), attempt === 1 ? s.verify.command : `sleep 3; ${s.verify.command}`, 60_000);
    const missing = expected.filter((re) => !re.test(out));
    if (missing.length === 0) return out.trim().split('\n').slice(-ids.length - 1).join(' | ');
    if (attempt === VERIFY_TRIES) throw new Error(`the output does not show ${missing.map(String).join(', ')} after ${VERIFY_TRIES} tries:\n${out.trim()}`);
  }
};

const labLabel = (path: string) => (): string => stepAt(path)?.label ?? path;
const names = (s: Scenario) => s.hosts.map((h) => h.name);

/** Every step, in the order a guide goes through them; one per lab step, then verify. */
export const SCENARIO_STEPS: readonly ScenarioStep[] = [
  {
    path: 'modelProfile', phase: 'modelProfile', title: () => 'Save the cluster profile', label: labLabel('modelProfile'),
    byHand: (s) => `Model ${s.profile.name} ${s.profile.version} layer by layer (${s.profile.layers.map((l) => ('pack' in l ? `${l.pack} ${l.version}` : l.name)).join(', ')}) and save it in Palette.`,
    perform: saveProfile,
  },
  {
    path: 'installHandoff.creatingToken', phase: 'installHandoff', title: () => 'Create a registration token', label: labLabel('installHandoff.creatingToken'),
    byHand: (s) => `In Tenant Settings → Registration Tokens, create the token ${s.tokenName} with ${s.project} as its default project.`,
    perform: createToken,
  },
  {
    path: 'installHandoff.forgingInstaller', phase: 'installHandoff', title: () => 'Build the Edge Installer', label: labLabel('installHandoff.forgingInstaller'),
    byHand: () => `Write the user data (Palette endpoint ${PALETTE_ENDPOINT}, the registration token's value, the host's name) and press Build installer.`,
    perform: buildInstaller,
  },
  {
    path: 'installHandoff.installingHosts', phase: 'installHandoff', title: () => 'Install the hosts from the USB stick', label: labLabel('installHandoff.installingHosts'),
    byHand: (s) => `Insert the installer USB stick into ${hostNames(s)} and power on; each host installs Palette Edge and powers off.`,
    perform: installHosts,
  },
  {
    path: HANDOFF_STEP_PATH, phase: 'installHandoff', title: () => 'Hand the hosts over to the site', label: labLabel(HANDOFF_STEP_PATH),
    byHand: (s) => `Press Hand over to the site in the hosts part: IT/Ops gives ${hostNames(s)} to the site technician (in the field, the hosts are shipped).`,
    perform: handOffHosts,
  },
  {
    path: 'registration', phase: 'registration', title: () => 'Power on at the site and register', label: labLabel('registration'),
    byHand: (s) => `Remove the USB stick and power ${hostNames(s)} on from the disk; the agent registers with the token.`,
    perform: registerHosts,
  },
  {
    path: 'clusterProvisioning.creatingCluster', phase: 'clusterProvisioning', title: () => 'Create the cluster', label: labLabel('clusterProvisioning.creatingCluster'),
    byHand: (s) => {
      const c = s.cluster(names(s));
      return `In the cluster wizard, create ${c.name} from ${c.profile.id} ${c.profile.version} with ${hostNames(s)} in the control-plane pool and the VIP ${c.vip}.`;
    },
    perform: createCluster,
  },
  {
    path: 'clusterProvisioning.waitingForRunning', phase: 'clusterProvisioning', title: () => 'Wait until the cluster is Running', label: labLabel('clusterProvisioning.waitingForRunning'),
    byHand: (s) => `Follow ${s.cluster(names(s)).name}'s Events in Palette and the host's console until the cluster is Running.`,
    perform: waitForRunning,
  },
  {
    path: VERIFY_PATH, phase: 'verify', title: (s) => `\`${s.verify.command}\` on the host`, label: (s) => `Check the cluster with ${s.verify.command}`,
    byHand: (s) => `Type ${s.verify.command} on ${verifyHost(s, names(s))}'s console and look for every node Ready.`,
    perform: verify,
  },
];

/** The step at a lab step's path (or `verify`; `done` means verify too: it is what is left). */
export function scenarioStep(path: string): ScenarioStep | undefined {
  return SCENARIO_STEPS.find((s) => s.path === (path === 'done' ? VERIFY_PATH : path));
}

/** What a run's report calls the step's phase. */
export function phaseTitle(phase: LabPhase | 'verify'): string {
  return phase === 'verify' ? 'Verify' : PHASE_LABELS[phase];
}

const MOVE_ON_MS = 15_000;

/**
 * "Show me": performs the step at `path` and makes sure the lab has taken note, asking it to
 * CHECK when it has not moved past the step by itself. Resolves with the step's detail.
 */
export async function showStep(d: ScenarioDriver, s: Scenario, path: string, memo: ScenarioMemo = {}, o: StepOptions = {}): Promise<string> {
  const step = scenarioStep(path);
  if (!step) throw new Error(`There is no step "${path}" to show; the lab's steps are ${LAB_STEPS.map((x) => x.path).join(', ')} and ${VERIFY_PATH}.`);
  const detail = await step.perform(d, s, memo, o);
  if (step.path === VERIFY_PATH) return detail;
  const movedOn = (v: LabView): boolean => labStepPath(v) !== step.path;
  const what = `the lab to move past “${step.label(s)}”`;
  try {
    await d.waitForView(movedOn, MOVE_ON_MS, what);
  } catch {
    const v = await currentView(d);
    if (!v.allowed.includes('CHECK')) throw new Error(`The step was done, but the lab does not offer a check now (${v.label}).`);
    await d.command({ kind: 'lab' }, 'CHECK');
    try {
      await d.waitForView(movedOn, MOVE_ON_MS, what);
    } catch {
      const failure = labData(await currentView(d)).lastFailure?.message;
      throw new Error(`The step was done, but the lab's check does not agree yet${failure ? `: ${failure}` : '.'}`);
    }
  }
  return detail;
}
