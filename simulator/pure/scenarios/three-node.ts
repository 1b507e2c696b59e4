/**
 * A small fleet: three edge hosts installed from one installer stick, registered
 * with one token, and provisioned as one cluster: edge-host-1 is the control
 * plane (and runs workloads too), edge-host-2 and edge-host-3 are workers.
 *
 * The steps build a single installer for every host (scenario-steps.ts), so the
 * user data must be the same for all three: it leaves `stylus.site.name` out and
 * each agent derives its host ID from its own hardware (`edge-<SMBIOS UUID>`).
 * The IDs are therefore known only once the hosts have booted; `cluster` and
 * `verify` take them as arguments, in the order of `hosts`.
 */
import { nodeNames } from '../palette/assignment';
import { LAB_K3S_PROFILE } from './lab-profile';
import type { Scenario, ScenarioHost } from './types';

// Same size as single-node's host; each lab has a LAN hub of its own, so the
// same /24 as single-node cannot clash with another lab.
const host = (n: number): ScenarioHost => ({ name: `edge-host-${n}`, memoryMb: 192, diskMb: 1024, lanAddress: `10.77.0.${10 + n}` });

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const threeNode: Scenario = {
  name: 'three-node',
  title: 'Three-node Edge Native cluster',
  summary: 'Install three edge hosts from one installer, register them with one token, and provision a cluster with one control-plane node and two workers.',
  lan: { cidr: '10.77.0.0/24', prefix: 24 },
  hosts: [host(1), host(2), host(3)],
  project: 'Default',
  tokenName: 'edge-lab-token',
  profile: LAB_K3S_PROFILE,
  // Contract: the text does not depend on `host` (one stick serves all three).
  userData: ({ token, endpoint }) =>
    [
      '#cloud-config',
      'stylus:',
      '  site:',
      `    paletteEndpoint: ${endpoint}`,
      `    edgeHostToken: ${token}`,
      '    tags:',
      '      site: lab',
      'install:',
      '  poweroff: true',
      '',
    ].join('\n'),
  // hostIds[0] is edge-host-1's ID, and so on.
  cluster: (hostIds) => ({
    name: 'edge-lab-cluster',
    profile: { id: 'edge-k3s-lab', version: '1.0.0' },
    vip: '10.77.0.100',
    ntpServers: ['pool.ntp.org'],
    controlPlanePool: { hosts: hostIds.slice(0, 1).map((hostId) => ({ hostId })), allowWorkerCapability: true },
    workerPool: { hosts: hostIds.slice(1).map((hostId) => ({ hostId })) },
  }),
  verify: {
    command: 'kubectl get nodes',
    // Palette names each node after its host ID (lowercased, DNS-safe): every one must be Ready.
    expect: (hostIds) => nodeNames(hostIds).map((node) => new RegExp(`^${escapeRegExp(node)}\\s+Ready\\b`, 'm')),
  },
};
