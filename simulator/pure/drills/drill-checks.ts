// "Check my work" for the Troubleshooting drills (docs/troubleshooting.md): whether a drill's fix
// took, judged from what is true in the lab now (the hosts' charts, Palette's records), not from
// which buttons were pressed. Each drill first looks for its own cause still being there, so the
// answer names it. The host drills end with the host registered with Palette; the registry drill
// with every host of a cluster past writing the provider image.
import { z } from 'zod';
import { PROVISIONING_STEPS, type ProvisioningStep } from '../machines/provisioning';

export const PAGE_DRILL_IDS = ['cable', 'stick', 'small-disk', 'duplicate-id', 'expired-token', 'checksum'] as const;
export const pageDrillSchema = z.enum(PAGE_DRILL_IDS, { error: `a drill is one of ${PAGE_DRILL_IDS.join(', ')}` });
export type PageDrillId = z.infer<typeof pageDrillSchema>;
/** The lab command that asks for a drill's check, with args {drill}; the answer is the lab chart's DRILL_CHECKED. */
export const CHECK_DRILL = 'CHECK_DRILL';

/** What a drill check reads about one of the lab's hosts. */
export interface DrillHostFacts {
  name: string;
  /** Palette's ID for it, once its agent said it. */
  hostId: string | null;
  poweredOn: boolean;
  cableUnplugged: boolean;
  usbInserted: boolean;
  /** The drill's small disk is in place of the host's own. */
  smallDisk: boolean;
  /** Palette's last refusal of its registration, while it stands (the host chart's). */
  refusal: string | null;
  /** Palette holds a registered record with its ID. */
  registered: boolean;
  /** The cluster Palette assigned it to, or null. */
  cluster: string | null;
  /** Its last provisioning step reported, or null. */
  provisioningStep: ProvisioningStep | null;
  /** The reason of the fault that stopped its last install or provisioning try (e.g. `image-checksum`), or null. */
  fault: string | null;
}

export interface DrillFacts {
  hosts: readonly DrillHostFacts[];
  /** Registration tokens that have not expired. */
  validTokens: number;
  /** Repositories of which the lab registry serves a damaged copy now (the registry drill). */
  damagedImages: readonly string[];
}

export interface DrillCheckResult {
  passed: boolean;
  message: string;
}

/** The cause each drill breaks, still there on `h`: what to do about it, or null. */
const CAUSES: Record<PageDrillId, (h: DrillHostFacts, f: DrillFacts) => string | null> = {
  cable: (h) => (h.cableUnplugged ? `${h.name}'s network cable is still out: press "Plug the network cable back in".` : null),
  stick: (h) => (h.usbInserted ? `The installer stick is still in ${h.name}: at the next boot it installs again. Press "Remove the stick", then power the host on.` : null),
  'small-disk': (h) => (h.smallDisk ? `${h.name} still has the disk that is too small: power it off and press "Put the host's own disk back".` : null),
  'duplicate-id': (h) => (h.refusal === 'duplicate-host-id'
    ? `Palette still refuses ${h.name} with duplicate-host-id: delete the host's old record in Edge Hosts; the agent's next attempt registers it.`
    : null),
  'expired-token': (h, f) => {
    if (f.validTokens === 0) return 'There is no registration token that has not expired: create a new one in Registration Tokens.';
    return h.refusal === 'token-expired'
      ? `Palette still refuses ${h.name} with token-expired: its disk holds the old token. Build the installer with the new token and reinstall ${h.name} from it.`
      : null;
  },
  checksum: (h, f) => {
    if (f.damagedImages.length > 0) return `The lab registry still serves a damaged copy of ${f.damagedImages.join(', ')}: press "Push the provider image again".`;
    return h.fault === 'image-checksum'
      ? `${h.name}'s last download of the provider image failed its checksum; its agent downloads it again within a minute of that try: watch its console.`
      : null;
  },
};

/** The step after which the provider image is on the host's disk. */
const IMAGE_WRITTEN = PROVISIONING_STEPS.indexOf('partition-switched');

/** The registry drill's end: every host of a cluster has the provider image written, or what keeps one from it. */
function checkImageWritten(facts: DrillFacts): DrillCheckResult {
  const nodes = facts.hosts.filter((h) => h.cluster !== null);
  if (nodes.length === 0) {
    const damaged = facts.damagedImages.length > 0 ? `${CAUSES.checksum(facts.hosts[0]!, facts)} ` : '';
    return { passed: false, message: `${damaged}No host is in a cluster yet: create the cluster (Create cluster definition), so its hosts download the provider image from the registry.` };
  }
  const left: string[] = [];
  for (const h of nodes) {
    const cause = CAUSES.checksum(h, facts);
    if (cause) { left.push(cause); continue; }
    if (h.provisioningStep !== null && PROVISIONING_STEPS.indexOf(h.provisioningStep) >= IMAGE_WRITTEN) continue;
    if (!h.poweredOn) left.push(`${h.name} is off: power it on; its agent provisions it for cluster ${h.cluster}.`);
    else if (h.fault) left.push(`Provisioning of ${h.name} failed with ${h.fault}; its console and card say why.`);
    else left.push(`${h.name} is still downloading and writing the provider image: watch its console.`);
  }
  return left.length === 0
    ? { passed: true, message: `Fixed: ${nodes.map((h) => h.name).join(', ')} ${nodes.length === 1 ? 'has' : 'have'} the provider image from the registry, checksum verified, written to ${nodes.length === 1 ? 'its' : 'their'} disk.` }
    : { passed: false, message: [...new Set(left)].join(' ') };
}

/** Whether the fix of `drill` took on every host of the lab, and in words what is left if not. */
export function checkDrill(drill: PageDrillId, facts: DrillFacts): DrillCheckResult {
  if (facts.hosts.length === 0) return { passed: false, message: 'This lab has no hosts to check.' };
  if (drill === 'checksum') return checkImageWritten(facts);
  const left: string[] = [];
  for (const h of facts.hosts) {
    const cause = CAUSES[drill](h, facts);
    if (cause) { left.push(cause); continue; }
    if (h.registered) continue;
    if (!h.poweredOn) left.push(`${h.name} is off: power it on from its disk and let its agent register.`);
    else if (h.refusal) left.push(`Palette refuses ${h.name} with ${h.refusal}; its console and card say why.`);
    else left.push(`${h.name} is not registered with Palette yet: watch its console; its agent retries on its own.`);
  }
  return left.length === 0
    ? { passed: true, message: `Fixed: ${facts.hosts.map((h) => h.name).join(', ')} ${facts.hosts.length === 1 ? 'is' : 'are'} registered with Palette.` }
    : { passed: false, message: [...new Set(left)].join(' ') };
}
