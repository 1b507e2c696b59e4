/**
 * Human words for the edge-host chart: a label per atomic state and, where the host
 * needs the learner, a hint that says what to do. The docs give no exact texts for most
 * of these failures (palette-edge.md §7), so the wording is the lab's own.
 */
import type { HostContext } from './host.context';
import type { RefusalCode } from './host.events';

export const HOST_STATE_LABELS: Readonly<Record<string, string>> = {
  poweredOff: 'Powered off',
  poweringOn: 'Powering on',
  'powered.installerBooted': 'Booted from the installer stick',
  'powered.installing': 'Installing Palette Edge',
  'powered.installed': 'Installation Complete',
  'powered.installFailed': 'Installation failed',
  'powered.noBootableDevice': 'No bootable device',
  'powered.shuttingDown': 'Shutting down',
  'powered.registrationMode.booting': 'Booting',
  'powered.registrationMode.agentReady': 'Registration mode',
  'powered.registrationMode.awaitingApproval': 'Waiting to be added in Palette',
  'powered.registrationMode.endpointUnreachable': 'Palette unreachable, retrying',
  'powered.registrationMode.registrationRefused': 'Registration refused',
  'powered.registrationMode.noEndpoint': 'No Palette endpoint',
  'powered.paired.lifecycle.registered': 'Registered',
  'powered.paired.lifecycle.assigned': 'Assigned to a cluster',
  'powered.paired.lifecycle.provisioning': 'Provisioning',
  'powered.paired.lifecycle.provisioningFailed': 'Provisioning failed',
  'powered.paired.lifecycle.running': 'Running',
  'powered.paired.health.healthy': 'Healthy',
  'powered.paired.health.unhealthy': 'Unhealthy',
};

/** What the learner does about each refusal (simulator/palette-api.md, "Refusal codes"). */
export const REFUSAL_HINTS: Readonly<Record<RefusalCode, string>> = {
  'token-unknown': 'Palette does not know the registration token. Fix stylus.site.edgeHostToken in the user data.',
  'token-expired': 'The registration token has expired. Create a new token in Palette and put it in the user data.',
  'project-missing': 'Neither the token nor the user data names a project. Set stylus.site.projectName, or use a token with a default project.',
  'project-unknown': 'Palette has no project of the name the user data gives. Fix stylus.site.projectName (Palette lists its projects), or leave it out to use the token\'s default project.',
  'duplicate-host-id': 'Another machine already holds this host ID. Delete the old host record in Palette, or give this host another ID.',
  'host-limit': 'This lab\'s Palette holds as many edge hosts as it may (64). Delete hosts you no longer need in Clusters > Edge Hosts; the host tries again by itself.',
  unknown: 'Palette refused the registration. Read the agent\'s message on the console.',
};

/** Why a host is off, when the learner did not turn it off themselves. */
const OFF_HINTS: Readonly<Record<string, string>> = {
  'server-restarted': 'The lab server restarted, and its virtual machines stopped with it. The disk keeps everything written before; power the host on to go on.',
  crashed: 'The virtual machine stopped on its own (its QEMU process ended). The disk keeps everything written before; power the host on to go on.',
};

const FAULT_HINTS: Readonly<Record<string, (detail: Readonly<Record<string, string>>) => string>> = {
  'disk-too-small': (d) => `The disk is too small (${d.have_mb ?? '?'} MiB, at least ${d.need_mb ?? '?'} MiB needed). Give the host a larger disk and install again.`,
  'no-disk': () => 'The host has no internal disk. Attach one and install again.',
  'disk-empty': () => 'Nothing is installed on the disk. Insert the Edge Installer stick and power on.',
  'usb-not-bootable': () => 'The USB stick is not an Edge Installer. Insert the installer stick and power on again.',
  'no-device': () => 'The USB stick did not appear. Insert it again and power on.',
  'usb-removed': () => 'The installer USB stick was removed during the install. Insert it and restart the host to install again.',
  'user-data-mismatch': () => 'The user data written to the disk does not match the installer stick\'s. Restart the host to install again; if it fails again, build the installer again.',
  'bad-stick': () => 'The USB stick is not a complete Edge Installer. Build the installer again and restart the host.',
  'user-data': () => 'Copying the user data from the installer stick to the disk failed. Restart the host to install again.',
  write: () => 'Writing to the host\'s disk failed. Check the disk and install again.',
  'slot-missing': (d) => `The boot entry ${d.slot ?? ''} cannot be mounted. Reinstall the host from the Edge Installer stick.`,
};

function faultHint(c: HostContext, fallback: string): string {
  const f = c.fault;
  if (!f) return fallback;
  return FAULT_HINTS[f.reason]?.(f.detail) ?? `${fallback} (${f.reason})`;
}

/** The hint for the host's atomic states, or null when nothing is asked of the learner. */
export function hostHint(leaves: readonly string[], c: HostContext): string | null {
  const has = (leaf: string) => leaves.includes(leaf);
  if (c.ioPause) {
    return c.ioPause.nospace
      ? 'The host is paused: its disk could not grow because the lab server\'s disk is full. Free space there (the lab says how much is left), then press Resume; the host goes on where it stopped.'
      : `The host is paused after a disk error (${c.ioPause.reason}). Press Resume to try again, or pull the plug and power it on.`;
  }
  if (has('poweredOff')) return OFF_HINTS[c.lastPowerOff ?? 'none'] ?? null;
  if (has('powered.installFailed')) return faultHint(c, 'The installer stopped. Fix the cause and install again.');
  if (has('powered.noBootableDevice')) return faultHint(c, 'The host found nothing to boot.');
  if (has('powered.installed')) {
    return c.usbInserted
      ? 'Remove the USB stick, then power the host off: with the stick in, it installs again.'
      : 'Power the host off and take it to its site.';
  }
  if (has('powered.registrationMode.awaitingApproval')) return `Add the Edge Host ID ${c.hostId ?? ''} in Palette (Edge Hosts → Add Edge Hosts).`;
  if (has('powered.registrationMode.endpointUnreachable')) {
    return `The host cannot reach ${c.endpoint ?? 'Palette'}; it tries again in ${c.retrySeconds ?? '?'} s. Check stylus.site.paletteEndpoint and the network. On a real site, a proxy or TLS inspection in the way is fixed with stylus.site.network.httpsProxy, caCerts or insecureSkipVerify; the lab's network has neither.`;
  }
  if (has('powered.registrationMode.registrationRefused')) return REFUSAL_HINTS[c.refusal ?? 'unknown'];
  if (has('powered.registrationMode.noEndpoint')) return 'The user data has no stylus.site.paletteEndpoint. Add it and build the installer again.';
  if (has('powered.paired.lifecycle.provisioningFailed')) return `Provisioning failed (${c.fault?.reason ?? 'unknown'}). Read the cluster's Events log.`;
  if (has('powered.paired.health.unhealthy')) {
    // Two causes look alike from here: the store failing is named by the lab's own notice.
    return 'Palette misses the host\'s heartbeats. If the lab says above that it cannot save, that is the cause, and this passes once it can; otherwise the host cannot reach Palette: check its network.';
  }
  return null;
}
