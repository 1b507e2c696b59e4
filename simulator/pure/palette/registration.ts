// Whether Palette registers an edge host that asks (reference §5, §7). Pure: the caller passes
// the tokens, projects and host records it holds, and the clock reading `now`.
//
// Checked in this order; the first failure refuses:
// 1. `token-unknown`   the token is empty or not one Palette issued.
// 2. `token-expired`   the token's expiration date has passed (`now >= expiresAt`).
// 3. `project-unknown` `projectUid` or `projectName` (either wins over the token's default
//                      project; the UID first) or the token's default project names no project
//                      that exists.
//    `project-missing` neither names a project.
// 4. `duplicate-host-id` a record with this ID belongs to another machine: a MAC, device UUID
//                      or install ID known on both sides differs (e.g. the host was reinstalled).
// Then: a known record of the same machine is answered from that record (idempotent); an ID an
// admin added by hand is claimed and registered; a new host is registered (auto registration)
// or left `pending` (`disableAutoRegister: true`) until an admin adds its ID.
//
// Each refusal carries two texts: `consoleMessage`, printed on the host's console by the agent's
// shell parser (one line, no `"` or `\`), and `uiMessage`, shown in the Palette UI.
import type { RegistrationCode } from './refusals';
import { didYouMean } from '../user-data/did-you-mean';
import { projectUid } from './project-uid';

export interface RegistrationToken {
  name: string;
  /** The token value written into `stylus.site.edgeHostToken`. */
  value: string;
  defaultProject?: string;
  /** Expiration date, ms since the epoch. */
  expiresAt: number;
}

/** How a machine is told apart from another claiming the same host ID. Empty means unknown. */
export interface MachineIdentity {
  mac?: string;
  deviceUuid?: string;
  /** Random value the installer writes once per installation. */
  installId?: string;
}

export interface KnownHost {
  hostId: string;
  project: string;
  /**
   * `added`: an admin entered the ID (Add Edge Hosts) and no machine has claimed it yet.
   * `pending`: a machine asked with auto registration off and waits for an admin.
   */
  state: 'added' | 'pending' | 'registered';
  machine: MachineIdentity;
}

export interface RegistrationInput {
  hostId: string;
  token: string;
  /** `stylus.site.projectName`; blank means "the token's project". */
  projectName?: string;
  /** `stylus.site.projectUid` (Tenant Settings > Projects shows it); blank means "not set". */
  projectUid?: string;
  /** False when the user data sets `disableAutoRegister: true`. */
  autoRegister: boolean;
  machine: MachineIdentity;
  now: number;
  tokens: readonly RegistrationToken[];
  projects: readonly string[];
  hosts: readonly KnownHost[];
}


/** What to store: `create` a record, `register` an existing one, or `keep` it as it is. */
export type RecordChange = 'create' | 'register' | 'keep';

export type RegistrationDecision =
  | { status: 'registered'; project: string; record: RecordChange }
  | { status: 'pending'; project: string; record: RecordChange; consoleMessage: string; uiMessage: string }
  | { status: 'refused'; code: RegistrationCode; consoleMessage: string; uiMessage: string };

/** Makes text safe for the agent's console parser: one line, no `"`, no `\`. */
export function consoleSafe(s: string): string {
  return s.replace(/"/g, "'").replace(/\\/g, '/').replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

const refuse = (code: RegistrationCode, consoleMessage: string, uiMessage: string): RegistrationDecision => ({
  status: 'refused', code, consoleMessage: consoleSafe(consoleMessage), uiMessage,
});

const TOKENS_PAGE = 'Tenant Settings > Registration Tokens';
const HOSTS_PAGE = 'Clusters > Edge Hosts';

/** True when some identity field known on both sides differs. MACs compare case-insensitively. */
export function isOtherMachine(a: MachineIdentity, b: MachineIdentity): boolean {
  const norm = (v: string | undefined) => (v ?? '').trim().toLowerCase();
  return (['mac', 'deviceUuid', 'installId'] as const).some((k) => norm(a[k]) !== '' && norm(b[k]) !== '' && norm(a[k]) !== norm(b[k]));
}

function resolveProject(input: RegistrationInput, token: RegistrationToken): { project: string } | RegistrationDecision {
  const uid = input.projectUid?.trim().toLowerCase() ?? '';
  if (uid !== '') {
    const named = input.projects.find((p) => projectUid(p) === uid);
    if (named !== undefined) return { project: named };
    return refuse('project-unknown',
      `No project in Palette has the UID ${uid} from stylus.site.projectUid. Copy the UID from Tenant Settings > Projects, or set projectName instead.`,
      `Host ${input.hostId} asked for the project with UID "${uid}", which no project has. Tenant Settings > Projects shows each project's UID; correct stylus.site.projectUid in the user data.`);
  }
  const asked = input.projectName?.trim() ?? '';
  const name = asked !== '' ? asked : token.defaultProject;
  if (name === undefined) {
    return refuse('project-missing',
      `Registration token ${token.name} has no default project and the user data names none. Set stylus.site.projectName, or use a token with a default project.`,
      `Host ${input.hostId} used token "${token.name}", which has no default project, and its user data sets no projectName. Give the token a default project in ${TOKENS_PAGE}, or set stylus.site.projectName in the host's user data.`);
  }
  if (input.projects.includes(name)) return { project: name };
  const close = didYouMean(name, input.projects);
  const fix = close ? ` Did you mean ${close}?` : '';
  return asked !== ''
    ? refuse('project-unknown',
      `Project ${name} from stylus.site.projectName does not exist in Palette.${fix} Correct projectName in the user data.`,
      `Host ${input.hostId} asked for project "${name}", which does not exist.${fix} Correct stylus.site.projectName in the user data, or create the project.`)
    : refuse('project-unknown',
      `The default project ${name} of registration token ${token.name} no longer exists. Set stylus.site.projectName, or use another token.`,
      `Token "${token.name}" points to project "${name}", which does not exist any more. Edit the token's default project in ${TOKENS_PAGE}, or set stylus.site.projectName in the user data.`);
}

export function decideRegistration(input: RegistrationInput): RegistrationDecision {
  const token = input.token === '' ? undefined : input.tokens.find((t) => t.value === input.token);
  if (!token) {
    return input.token === ''
      ? refuse('token-unknown',
        `The host sent no registration token. Set stylus.site.edgeHostToken in the user data to a token from ${TOKENS_PAGE}.`,
        `Host ${input.hostId} tried to register without a registration token. Create one in ${TOKENS_PAGE} and put its value in stylus.site.edgeHostToken.`)
      : refuse('token-unknown',
        `Palette does not know this registration token. Check stylus.site.edgeHostToken: it must be the value of a token from ${TOKENS_PAGE}.`,
        `Host ${input.hostId} presented a registration token Palette never issued. Copy the value of an existing token from ${TOKENS_PAGE} into stylus.site.edgeHostToken.`);
  }
  if (input.now >= token.expiresAt) {
    const when = new Date(token.expiresAt).toISOString().slice(0, 10);
    return refuse('token-expired',
      `Registration token ${token.name} expired on ${when}. Ask a tenant admin for a new token and set it in stylus.site.edgeHostToken.`,
      `Host ${input.hostId} used token "${token.name}", which expired on ${when}. Create a new token in ${TOKENS_PAGE} (or extend this one) and update stylus.site.edgeHostToken.`);
  }
  const resolved = resolveProject(input, token);
  if (!('project' in resolved)) return resolved;

  const known = input.hosts.find((h) => h.hostId === input.hostId);
  if (known && known.state !== 'added' && isOtherMachine(known.machine, input.machine)) {
    return refuse('duplicate-host-id',
      `Host ID ${input.hostId} already belongs to another machine, or to this one before a reinstall. Delete the old host record in Palette (${HOSTS_PAGE}), then this host registers on its next attempt.`,
      `An edge host with ID "${input.hostId}" already exists, registered from a different machine${known.machine.mac ? ` (MAC ${known.machine.mac})` : ''}. If the host was reinstalled or replaced, delete the old record in ${HOSTS_PAGE} (the row's Delete; in Palette, its three-dot menu > Delete); otherwise give the new host another ID.`);
  }
  if (known?.state === 'registered') return { status: 'registered', project: known.project, record: 'keep' };
  if (known?.state === 'added') return { status: 'registered', project: known.project, record: 'register' };
  if (!input.autoRegister) return pending(input.hostId, known?.project ?? resolved.project, known ? 'keep' : 'create');
  return { status: 'registered', project: known?.project ?? resolved.project, record: known ? 'register' : 'create' };
}

function pending(hostId: string, project: string, record: RecordChange): RegistrationDecision {
  return {
    status: 'pending', project, record,
    consoleMessage: consoleSafe(`Waiting for manual registration. In Palette, open ${HOSTS_PAGE} > Add Edge Hosts and add the ID ${hostId}.`),
    uiMessage: `Host ${hostId} asked to register with auto registration turned off. Add its ID under ${HOSTS_PAGE} > Add Edge Hosts in project ${project} to register it.`,
  };
}
