// "Check my work" for the Troubleshooting drills (docs/troubleshooting.md): whether a drill's fix
// took, judged from what is true in the lab now (the hosts' charts, Palette's records), not from
// which buttons were pressed. Each drill first looks for its own cause still being there, so the
// answer names it. The host drills end with the host registered with Palette; the registry drill
// with every host of a cluster past writing the provider image; the VIP clash drill with every
// cluster's VIP held by one of its nodes and no other machine on the LAN using it; the clock drill
// with the site's time server on and every node of a cluster having set its clock from NTP since
// it booted.
import { z } from 'zod';
import { PROVISIONING_STEPS, type ProvisioningStep } from '../machines/provisioning';

export const PAGE_DRILL_IDS = ['cable', 'stick', 'small-disk', 'duplicate-id', 'expired-token', 'checksum', 'vip-clash', 'clock'] as const;
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
  /** The cluster VIP it holds now, or null. */
  vip: string | null;
  /** The MAC of another machine its agent found answering for the VIP it would hold, or null. */
  vipClash: string | null;
  /** Its hardware clock is set behind (the clock drill). */
  clockBehind: boolean;
  /** Its NTP client's last word this boot (set from `server`, by `offsetS`; or no answer), or null. */
  clock: { synced: boolean; server: string; offsetS?: number } | null;
  /** Its etcd member's last complaint about a peer's clock, or null. */
  clockDrift: { peer: string; drift: string } | null;
}

export interface DrillFacts {
  hosts: readonly DrillHostFacts[];
  /** Registration tokens that have not expired. */
  validTokens: number;
  /** Repositories of which the lab registry serves a damaged copy now (the registry drill). */
  damagedImages: readonly string[];
  /** The clusters Palette has, with their VIPs. */
  clusters: readonly { name: string; vip: string }[];
  /** Machines on the lab LAN that are not edge hosts (the VIP clash drill). */
  lanDevices: readonly { ip: string; mac: string }[];
  /** The site's time server on the lab LAN, or null where the lab has none. */
  timeServer: { ip: string; on: boolean } | null;
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
  clock: (h, f) => {
    if (f.timeServer && !f.timeServer.on) return `The site's time server (${f.timeServer.ip}) is switched off, so no node can set its clock: switch it on in the lab LAN.`;
    if (!h.cluster || !h.poweredOn || h.clock?.synced) return null;
    const drift = h.clockDrift ? ` etcd on ${h.name} finds the clock of ${h.clockDrift.peer} ${h.clockDrift.drift} off.` : '';
    return h.clock
      ? `${h.name}'s clock has not been set since it booted: the NTP server ${h.clock.server} does not answer it.${drift} Make the time server reachable; its NTP client asks again every few seconds.`
      : `${h.name}'s clock has not been set from an NTP server since it booted yet.${drift} Watch its console: its NTP client asks every few seconds once the cluster runs.`;
  },
  'vip-clash': (h) => (h.vipClash
    ? `${h.name}'s agent finds another machine (${h.vipClash}) answering for the VIP, so no node holds it. Take that machine off the LAN, or give the cluster a VIP nothing uses.`
    : null),
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

/** The VIP clash drill's end: every cluster's VIP held by one of its nodes, and used by no other machine. */
function checkVipsHeld(facts: DrillFacts): DrillCheckResult {
  const deviceOn = (ip: string) => facts.lanDevices.find((d) => d.ip === ip);
  if (facts.clusters.length === 0) {
    const d = facts.lanDevices[0];
    const device = d ? `A device on the LAN (${d.mac}) uses ${d.ip}. ` : '';
    return { passed: false, message: `${device}No cluster yet: create the cluster (Create cluster definition); its control plane holds the VIP once it is provisioned.` };
  }
  const left: string[] = [];
  for (const c of facts.clusters) {
    const d = deviceOn(c.vip);
    if (d) { left.push(`A device on the LAN (${d.mac}) still uses ${c.vip}, the VIP of cluster ${c.name}: take it off the LAN, or delete the cluster and create it again with a VIP nothing uses.`); continue; }
    if (facts.hosts.some((h) => h.vip === c.vip)) continue;
    const nodes = facts.hosts.filter((h) => h.cluster === c.name);
    const clash = nodes.map((h) => CAUSES['vip-clash'](h, facts)).find((m) => m !== null);
    if (clash) left.push(clash);
    else if (nodes.length > 0 && nodes.every((h) => !h.poweredOn)) left.push(`Every node of cluster ${c.name} is off: power its control plane on.`);
    else left.push(`No node of cluster ${c.name} holds its VIP ${c.vip} yet: watch the control plane's console; its agent probes for the address every 5 s once the cluster runs.`);
  }
  return left.length === 0
    ? { passed: true, message: `Fixed: ${facts.clusters.map((c) => `cluster ${c.name}'s VIP ${c.vip}`).join(', ')} ${facts.clusters.length === 1 ? 'is' : 'are'} held by a node, and no other machine on the LAN answers for ${facts.clusters.length === 1 ? 'it' : 'them'}.` }
    : { passed: false, message: [...new Set(left)].join(' ') };
}

/** The clock drill's end: the time server on, and every node of a cluster that is on has set its clock from NTP this boot. */
function checkClocks(facts: DrillFacts): DrillCheckResult {
  const nodes = facts.hosts.filter((h) => h.cluster !== null);
  if (nodes.length === 0) return { passed: false, message: 'No host is in a cluster yet: the clock drill needs the cluster of this page Running.' };
  const left: string[] = [];
  for (const h of nodes) {
    const cause = CAUSES.clock(h, facts);
    if (cause) left.push(cause);
    else if (!h.poweredOn) left.push(`${h.name} is off: power it on; its clock is checked once it runs.`);
  }
  if (left.length > 0) return { passed: false, message: [...new Set(left)].join(' ') };
  const stepped = nodes.filter((h) => Math.abs(h.clock?.offsetS ?? 0) >= 1).map((h) => `${h.name}'s was ${Math.abs(h.clock!.offsetS!).toFixed(1)} s off`);
  const behind = nodes.filter((h) => h.clockBehind).map((h) => h.name);
  return {
    passed: true,
    message: `Fixed: ${nodes.map((h) => h.name).join(', ')} set ${nodes.length === 1 ? 'its clock' : 'their clocks'} from NTP since ${nodes.length === 1 ? 'it' : 'they'} booted${stepped.length > 0 ? ` (${stepped.join('; ')})` : ''}.`
      + (behind.length > 0 ? ` The hardware clock of ${behind.join(', ')} is still behind: every boot starts wrong until NTP sets it; set it right with the power off.` : ''),
  };
}

/** Whether the fix of `drill` took on every host of the lab, and in words what is left if not. */
export function checkDrill(drill: PageDrillId, facts: DrillFacts): DrillCheckResult {
  if (facts.hosts.length === 0) return { passed: false, message: 'This lab has no hosts to check.' };
  if (drill === 'checksum') return checkImageWritten(facts);
  if (drill === 'vip-clash') return checkVipsHeld(facts);
  if (drill === 'clock') return checkClocks(facts);
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
