/**
 * The Deployment guide's lab: one edge host, one K3s profile, a single-node
 * cluster. The host's ID comes from its name in the user data (`stylus.site.name`),
 * so the guide can name it before the host exists.
 */
import { LAB_K3S_PROFILE } from './lab-profile';
import type { Scenario } from './types';

const HOST = { name: 'edge-host-1', memoryMb: 192, diskMb: 1024, lanAddress: '10.77.0.11' } as const;

export const singleNode: Scenario = {
  name: 'single-node',
  title: 'Single-node Edge Native cluster',
  summary: 'Model a K3s profile, build the installer, install and register one edge host, and provision a one-node cluster on it.',
  lan: { cidr: '10.77.0.0/24', prefix: 24 },
  hosts: [HOST],
  project: 'Default',
  tokenName: 'edge-lab-token',
  profile: LAB_K3S_PROFILE,
  userData: ({ token, endpoint, host }) =>
    [
      '#cloud-config',
      'stylus:',
      '  site:',
      `    paletteEndpoint: ${endpoint}`,
      `    edgeHostToken: ${token}`,
      `    name: ${host.name}`,
      '    tags:',
      '      site: lab',
      'install:',
      '  poweroff: true',
      '',
    ].join('\n'),
  cluster: (hostIds) => ({
    name: 'edge-lab-cluster',
    profile: { id: 'edge-k3s-lab', version: '1.0.0' },
    vip: '10.77.0.100',
    ntpServers: ['pool.ntp.org'],
    controlPlanePool: { hosts: hostIds.map((hostId) => ({ hostId })), allowWorkerCapability: true },
  }),
  verify: {
    command: 'kubectl get nodes',
    expect: (hostIds) => hostIds.map((id) => new RegExp(`^${id}\\s+Ready\\b`, 'm')),
  },
};
