// The simulated Palette's views: the JSON its page API answers with (simulator/palette/http-api.md),
// as the server builds them and the page renders them. Part of the contract between the two.
import type { ProvisioningStep } from '../machines/provisioning';
import type { ClusterProfile, ClusterSpec, ClusterStatus, HealthStatus, HostStatus, NodeRole, NoteSeverity, Registration } from './index';

export interface ProjectView {
  name: string;
  createdAt: number;
}

export interface TokenView {
  name: string;
  /** The value for `stylus.site.edgeHostToken`; Palette's token list shows it. */
  value: string;
  /** Default project; null when the token has none. */
  project: string | null;
  expiresAt: number;
  createdAt: number;
  expired: boolean;
}

export interface ProfileView {
  name: string;
  version: string;
  profile: ClusterProfile;
  savedAt: number;
  /** Names of the clusters created from this version. */
  usedBy: string[];
}

/** One row of the Edge Hosts grid. */
export interface EdgeHostRow {
  hostId: string;
  status: HostStatus;
  /** null while Unpaired (the grid's grey icon). */
  health: HealthStatus | null;
  registration: Registration;
  method: 'auto' | 'manual' | null;
  tags: Record<string, string>;
  cluster: string | null;
  cpus: number;
  memoryMb: number;
  /** What the host reports, or the provider image tag once it is in a cluster. */
  os: string;
  ip: string;
  mac: string;
  arch: string;
  project: string;
  hostName: string;
  firstSeenAt: number | null;
  registeredAt: number | null;
  lastHeartbeatAt: number | null;
}

export interface ClusterNodeView {
  hostId: string;
  nodeName: string;
  role: NodeRole;
  lanIp: string;
  step: ProvisioningStep | null;
  failure: string | null;
}

export interface ClusterView {
  uid: string;
  name: string;
  project: string;
  status: ClusterStatus;
  /** null while not known yet (provisioning without failure). */
  health: HealthStatus | null;
  profile: { name: string; version: string };
  k8s: { pack: string; distribution: string; version: string };
  image: string;
  vip: string;
  nodes: ClusterNodeView[];
  createdAt: number;
  /** The wizard's data as accepted. */
  spec: ClusterSpec;
}

export interface ClusterEventView {
  at: number;
  severity: NoteSeverity;
  message: string;
}

export interface ClusterDetail extends ClusterView {
  events: ClusterEventView[];
}
