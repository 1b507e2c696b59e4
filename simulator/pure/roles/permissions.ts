/**
 * Who may do what in a lab (palette-edge.md §2, the lifecycle roles). A shared
 * lab has one person per role; the server asks `mayAct` before every change a
 * session makes and refuses the rest with a message that names who may do it.
 * Reading is open to every member; only changes are guarded. `solo` (one person
 * playing every role) and `trainer` may do everything. The hosts belong to whoever
 * has custody of them in the lab chart (IT/Ops until their HAND_OFF, then the site
 * technician). Pure.
 */
import type { HostCustodian } from '../machines/lab.steps';

import { ACTING_ROLES, ROLE_NAMES, type ActingRole } from './vocabulary';

export { ACTING_ROLES, ROLE_NAMES, type ActingRole };

export type LabAction =
  /** A call to the lab's Palette page API: method and path below /v1 (e.g. `/tokens/edge-lab-token`). */
  | { kind: 'palette'; method: string; path: string }
  | { kind: 'build-installer' }
  /** A site user-data stick (CIDATA): the site's own settings, the technician's job (or IT/Ops's). */
  | { kind: 'build-site-stick' }
  /** Putting a machine on the site's LAN or taking it off (the VIP clash drill): the site's network. */
  | { kind: 'lan' }
  /** Power, USB stick, reset, or typing on a host's console: whoever has custody of the hosts now. */
  | { kind: 'host'; what: string; custody: HostCustodian }
  | { kind: 'lab'; name: string };

export type RoleDecision =
  | { ok: true }
  | { ok: false; code: 'role-forbidden'; message: string; allowed: readonly ActingRole[] }
  /** A change to something the lab does not have: refused for every role, never let through. */
  | { ok: false; code: 'unknown-resource'; message: string; allowed: readonly ActingRole[] };

/** The Palette resources a page may change, and who may change each. Anything else is refused. */
const PALETTE_WRITERS: Readonly<Record<string, readonly ActingRole[]>> = {
  profiles: ['app-owner'],
  tokens: ['tenant-admin'],
  projects: ['tenant-admin'],
  // Adding hosts by ID and tagging them: the admin, or IT/Ops who build the cluster from them.
  edgehosts: ['tenant-admin', 'it-ops'],
  // Cluster formation is IT/Ops's or an admin's (the lifecycle's "IT/Ops or an admin"), as the guide says.
  clusters: ['it-ops', 'tenant-admin'],
  // The lab registry (its drill, and pushing a provider image again): IT/Ops builds and pushes provider images.
  registry: ['it-ops'],
};

const paletteResource = (path: string): string => path.replace(/^\/+/, '').split('/')[0] ?? '';

/** Where the hosts are while each custodian holds them. */
const WHERE: Readonly<Record<HostCustodian, string>> = {
  'it-ops': 'on the staging bench with IT/Ops',
  'site-technician': 'at the site with the site technician',
};

/** The roles that may perform an action, or 'anyone'. */
export function rolesFor(action: LabAction): readonly ActingRole[] | 'anyone' | 'trainer' | 'nobody' {
  switch (action.kind) {
    case 'palette': {
      if (action.method === 'GET' || action.method === 'HEAD' || action.method === 'OPTIONS') return 'anyone';
      return Object.hasOwn(PALETTE_WRITERS, paletteResource(action.path)) ? PALETTE_WRITERS[paletteResource(action.path)]! : 'nobody';
    }
    case 'build-installer':
      return ['it-ops'];
    case 'build-site-stick':
    case 'lan':
      return ['site-technician', 'it-ops'];
    case 'host':
      return [action.custody];
    case 'lab':
      // Checking is read-only; IT/Ops hands the hosts over; resetting the whole lab is for the trainer (or a solo reader).
      if (action.name === 'CHECK') return 'anyone';
      return action.name === 'HAND_OFF' ? ['it-ops'] : 'trainer';
  }
}

function describe(action: LabAction): string {
  switch (action.kind) {
    case 'palette': {
      const resource = paletteResource(action.path);
      if (resource === 'registry') return 'changing the provider images in the lab registry';
      const verb = action.method === 'DELETE' ? 'deleting' : action.method === 'PUT' ? 'changing' : 'creating';
      const what: Record<string, string> = { profiles: 'cluster profiles', tokens: 'registration tokens', projects: 'projects', edgehosts: 'edge host records', clusters: 'clusters' };
      return `${verb} ${what[resource] ?? resource}`;
    }
    case 'build-installer':
      return 'building the Edge Installer';
    case 'build-site-stick':
      return 'building a site user data stick';
    case 'lan':
      return 'putting machines on the site LAN or taking them off';
    case 'host':
      return `${action.what} while the hosts are ${WHERE[action.custody]}`;
    case 'lab':
      if (action.name === 'HAND_OFF') return 'handing the hosts over to the site';
      return action.name === 'RESTART' ? 'restarting the whole lab' : `${action.name}`;
  }
}

const list = (roles: readonly string[]): string => {
  const names = roles.map((r) => ROLE_NAMES[r] ?? r);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`;
};

/** Whether a session with `role` may perform `action`; a refusal says who may. */
export function mayAct(role: string, action: LabAction): RoleDecision {
  const allowed = rolesFor(action);
  if (allowed === 'nobody') {
    const path = action.kind === 'palette' ? action.path : '';
    return {
      ok: false, code: 'unknown-resource', allowed: [],
      message: `[lab-roles] ${action.kind === 'palette' ? `${action.method} ${path || '/'}` : describe(action)}: the lab's Palette has nothing there to change; the resources are ${Object.keys(PALETTE_WRITERS).join(', ')} (simulator/palette/http-api.md)`,
    };
  }
  if (role === 'solo' || role === 'trainer') return { ok: true };
  if (allowed === 'anyone') return { ok: true };
  if (allowed !== 'trainer' && (allowed as readonly string[]).includes(role)) return { ok: true };
  const who = allowed === 'trainer' ? 'the trainer' : list(allowed);
  const first = who.charAt(0).toUpperCase() + who.slice(1);
  return {
    ok: false,
    code: 'role-forbidden',
    allowed: allowed === 'trainer' ? [] : allowed,
    message: `[lab-roles] ${describe(action)} is not your step: you play ${ROLE_NAMES[role] ?? role}. ${first} may do it; ask them, or watch their progress in the guide.`,
  };
}
