/**
 * A highly available cluster: four edge hosts from one installer stick; edge-host-1 to
 * edge-host-3 are the control plane (three etcd members, so one can be lost and the quorum
 * holds; they elect the holder of the VIP through etcd), edge-host-4 is a worker.
 *
 * As in three-node, one installer serves every host, so the user data names no host and each
 * agent derives its host ID from its own hardware; `cluster` and `verify` take the IDs in the
 * order of `hosts`.
 */
import { timeServerAddress } from '../lan/lan-devices';
import { nodeNames } from '../palette/assignment';
import { LAB_K3S_PROFILE } from './lab-profile';
import { threeNode } from './three-node';
import type { Scenario, ScenarioHost } from './types';

const host = (n: number): ScenarioHost => ({ name: `edge-host-${n}`, memoryMb: 192, diskMb: 1024, lanAddress: `10.77.0.${10 + n}` });

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** How many of the hosts (the first ones) form the control plane. */
export const HA_CONTROL_PLANES = 3;
export const HA_VIP = '10.77.0.100';
const HA_LAN_CIDR = '10.77.0.0/24';

export const haThreeCp: Scenario = {
  name: 'ha-three-cp',
  title: 'Highly available Edge Native cluster',
  summary: 'Install four edge hosts from one installer, register them with one token, and provision a cluster with three control-plane nodes (three etcd members, a VIP elected among them) and one worker.',
  lan: { cidr: HA_LAN_CIDR, prefix: 24 },
  hosts: [host(1), host(2), host(3), host(4)],
  project: 'Default',
  tokenName: 'edge-lab-token',
  profile: LAB_K3S_PROFILE,
  // The same user data as three-node's: it does not depend on the host.
  userData: threeNode.userData,
  cluster: (hostIds) => ({
    name: 'edge-lab-ha',
    profile: { id: 'edge-k3s-lab', version: '1.0.0' },
    vip: HA_VIP,
    // The site's time server on the lab LAN: the lab has no Internet, so pool.ntp.org would not answer.
    ntpServers: [timeServerAddress(HA_LAN_CIDR)],
    controlPlanePool: { hosts: hostIds.slice(0, HA_CONTROL_PLANES).map((hostId) => ({ hostId })), allowWorkerCapability: false },
    workerPool: { hosts: hostIds.slice(HA_CONTROL_PLANES).map((hostId) => ({ hostId })) },
  }),
  verify: {
    command: 'kubectl get nodes',
    expect: (hostIds) => nodeNames(hostIds).map((node) => new RegExp(`^${escapeRegExp(node)}\\s+Ready\\b`, 'm')),
  },
};
