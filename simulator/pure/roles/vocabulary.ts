// The roles of a lab, defined once: the contract's schemas, the permission checks, the statecharts'
// steps and the pages all take them from here (palette-edge.md §2, the lifecycle roles).

/** The lifecycle roles: each does its own steps of a shared lab. */
export const ACTING_ROLES = ['app-owner', 'it-ops', 'site-technician', 'tenant-admin'] as const;
export type ActingRole = (typeof ACTING_ROLES)[number];

/** Every role a lab session is opened for: a lifecycle role, `solo` (one person, every role) or the `trainer`. */
export const LAB_ROLES = [...ACTING_ROLES, 'solo', 'trainer'] as const;
export type LabRole = (typeof LAB_ROLES)[number];

/** The order a walkthrough hands the roles out in: the lifecycle's (the token before the installer). */
export const WALKTHROUGH_ORDER: readonly ActingRole[] = ['app-owner', 'tenant-admin', 'it-ops', 'site-technician'];

/** How a sentence names each role ("… may do this: the App owner"); looked up by any string. */
export const ROLE_NAMES: Readonly<Record<string, string>> = {
  'app-owner': 'the App owner',
  'it-ops': 'IT/Ops',
  'site-technician': 'the Site technician',
  'tenant-admin': 'the Tenant admin',
  solo: 'you (solo: every role)',
  trainer: 'the trainer',
} satisfies Record<LabRole, string>;

/** A role's name as a label ("App owner"); an unknown role as it is. */
export function roleName(role: string): string {
  return (ROLE_NAMES[role] ?? role).replace(/^the /, '');
}

export function isActingRole(role: string): role is ActingRole {
  return (ACTING_ROLES as readonly string[]).includes(role);
}
