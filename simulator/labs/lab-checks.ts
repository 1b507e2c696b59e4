/**
 * "Check my work": each lab step's check, answered from the real state — the
 * simulated Palette's records, the installers built, and what the hosts' own
 * consoles reported (an install finished, an agent registered). A check returns
 * the lab chart events it proves, or a failure saying what is missing and what to
 * do. Partial progress counts: with two of three hosts installed, both are
 * reported and the failure names the third.
 */
import type { LabCheck, LabContext, LabEvent } from '../pure/machines';

/** What the checks read from the simulated Palette (a narrow view of it). */
export interface PaletteFacts {
  profiles(): Promise<readonly { name: string; version: string }[]>;
  tokens(): Promise<readonly { name: string; expiresAt: number }[]>;
  /** Hosts Palette knows, with whether they are registered. */
  hosts(): Promise<readonly { hostId: string; registered: boolean }[]>;
  clusters(): Promise<readonly { name: string; status: string; health?: string; vip?: string }[]>;
  /** Repositories of which the lab registry serves a damaged copy now (the registry drill). */
  damagedImages(): Promise<readonly string[]>;
}

export interface CheckInputs {
  palette: PaletteFacts;
  now: number;
  installers: readonly { id: string }[];
  /** The lab's VMs, with Palette's ID for each (once its agent said it) and whether its install completed. */
  vms: readonly { name: string; hostId: string | null; installed: boolean }[];
  lab: LabContext;
}

export type CheckOutcome = { proved: LabEvent[]; failure: string | null };

const pass = (...proved: LabEvent[]): CheckOutcome => ({ proved, failure: null });
const fail = (failure: string, ...proved: LabEvent[]): CheckOutcome => ({ proved, failure });

export async function runLabCheck(check: LabCheck, x: CheckInputs): Promise<CheckOutcome> {
  switch (check) {
    case 'profile': {
      const profiles = await x.palette.profiles();
      const last = profiles.at(-1);
      return last
        ? pass({ type: 'PROFILE_VALID', profile: `${last.name}@${last.version}` })
        : fail('No cluster profile is saved in Palette yet. Build the profile (OS, Kubernetes, Network layers) and save it; Palette refuses a profile with errors and shows them on the fields.');
    }
    case 'token': {
      const tokens = (await x.palette.tokens()).filter((t) => t.expiresAt > x.now);
      const t = tokens.at(-1);
      return t
        ? pass({ type: 'TOKEN_CREATED', token: t.name })
        : fail('There is no valid registration token. In Tenant Settings → Registration Tokens, create one with a default project and an expiry date in the future.');
    }
    case 'installer': {
      const last = x.installers.at(-1);
      return last
        ? pass({ type: 'INSTALLER_BUILT', installer: last.id })
        : fail('No Edge Installer has been built yet. Write the user data (Palette endpoint and registration token) and build the installer.');
    }
    case 'hosts-installed': {
      const done = x.vms.filter((v) => v.installed);
      const missing = x.vms.filter((v) => !v.installed).map((v) => v.name);
      const proved = done.map((v): LabEvent => ({ type: 'HOST_INSTALLED', host: v.name }));
      return missing.length === 0
        ? pass(...proved)
        : fail(`Not installed yet: ${missing.join(', ')}. Insert the installer USB stick, power the host on and wait for "Installation Complete".`, ...proved);
    }
    case 'hosts-handed-off':
      // Only the HAND_OFF command moves the hosts; a check can but say so.
      return x.lab.custody === 'site-technician'
        ? pass()
        : fail('The hosts are installed and still with IT/Ops on the staging bench. IT/Ops hands them over to the site: press "Hand over to the site" in the hosts part (the lab records it as the HAND_OFF event).');
    case 'hosts-registered': {
      const registered = new Set((await x.palette.hosts()).filter((h) => h.registered).map((h) => h.hostId));
      const ok = x.vms.filter((v) => v.hostId !== null && registered.has(v.hostId));
      const missing = x.vms.filter((v) => !ok.includes(v));
      const proved = ok.map((v): LabEvent => ({ type: 'HOST_REGISTERED', host: v.name }));
      if (missing.length === 0) return pass(...proved);
      const why = missing.map((v) => (v.hostId ? `${v.name} (ID ${v.hostId}) is not registered in Palette` : `${v.name} has not booted its agent yet`));
      return fail(`${why.join('; ')}. Remove the USB stick, power the host on from its disk and watch its console: it registers with its token, or waits for you to add its ID under Edge Hosts.`, ...proved);
    }
    case 'cluster-created': {
      const c = (await x.palette.clusters()).at(-1);
      return c
        ? pass({ type: 'CLUSTER_CREATED', cluster: c.name })
        : fail('No cluster exists yet. Create one from the profile and assign the registered hosts to its pools.');
    }
    case 'cluster-running': {
      const name = x.lab.cluster;
      const c = (await x.palette.clusters()).find((k) => k.name === name);
      if (!c) return fail(`The cluster ${name ?? '(none)'} no longer exists in Palette. Create it again.`);
      return c.status === 'Running'
        ? pass({ type: 'CLUSTER_RUNNING', cluster: c.name })
        : fail(`Cluster ${c.name} is ${c.status}${c.health ? ` (${c.health})` : ''}. Provisioning pulls the provider image, switches partitions, reboots and starts the runtime; follow it in the cluster's Events and on the host's console.`);
    }
  }
}
