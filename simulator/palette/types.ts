// The simulated Palette's public shapes: what createPalette needs, what it returns, and the
// replies the edge agent gets (simulator/palette-api.md). Views are plain JSON.
import type { RegistryFaults } from './registry-faults';
import type { NodeRole, PaletteIssue } from '../pure/palette';
import type { LabEvent, LabStore } from '../store/types';
import type { AgentRefusalCode } from '../pure/palette/refusals';
import type { ProjectView, TokenView, ProfileView, EdgeHostRow, ClusterNodeView, ClusterView, ClusterEventView, ClusterDetail } from '../pure/palette/views';

/** A file on disk the lab registry serves as `/v2/<repository>/blobs/sha256:<sha256>`. */
export interface RegistryBlob {
  /** Repository inside the lab registry, without the registry host, e.g. `edge-lab-provider`. */
  repository: string;
  /** Lowercase hex. */
  sha256: string;
  size: number;
  path: string;
}

export interface PaletteDeps {
  store: LabStore;
  labId: string;
  /** ms since the epoch, injected. */
  now: () => number;
  /** injected */
  newId: () => string;
  /**
   * The lab registry's blobs: every PROVIDER_IMAGES entry of catalog.ts whose repository
   * matches is served from the blob of that repository. The lab has one real provider OS
   * image, so all tags of a repository (k3s-1.32.4-…, kubeadm-1.32.4-…) share its one blob.
   */
  registry: readonly RegistryBlob[];
  /** Called after each lab event has been appended (committed) to the store's per-lab log; never before. */
  onEvent?: (e: LabEvent) => void;
  /** Lab LAN plan for assignment replies: host LAN address (`10.77.0.11/24`) by host ID; optional. */
  lanAddressOf?: (hostId: string) => string | undefined;
  /**
   * How often, while a heartbeat long poll waits, the log is read for assignments made by
   * another process on the same database (ms; default 2000; 0 turns this off). Assignments made
   * through this instance wake the poll at once either way.
   */
  crossProcessPollMs?: number;
}

/** A refusal of a page action: `invalid` (422), `not-found` (404) or `conflict` (409). */
export interface Failure {
  ok: false;
  reason: 'invalid' | 'not-found' | 'conflict';
  /** One line, for a toast or a log. */
  message: string;
  /** Each problem at its field's path (`controlPlanePool.hosts[0].hostId`). */
  issues: PaletteIssue[];
}

export type { ProjectView, TokenView, ProfileView, EdgeHostRow, ClusterNodeView, ClusterView, ClusterEventView, ClusterDetail };

export interface NewToken {
  name: string;
  /** Free text, trimmed; at most TOKEN_DESCRIPTION_MAX characters. */
  description?: string;
  project?: string;
  /** ms since the epoch; default now + 30 days. */
  expiresAt?: number;
}

// ---------------------------------------------------------------------------------------------
// Agent replies (HTTP 200 unless `error` is set, then 400)

export type { AgentRefusalCode };

export interface AgentRefusal {
  status: 'refused';
  code: AgentRefusalCode;
  /** Console-safe: one line, no `"` or `\`. */
  message: string;
}

export interface BadRequest {
  error: 'bad-request';
  field?: string;
  message: string;
}

/** Flat, every value a string, so the agent's `sed` can read each field. */
export interface AssignedReply {
  status: 'assigned';
  cluster: string;
  nodeRole: NodeRole;
  nodeName: string;
  k8sVersion: string;
  distribution: string;
  /** `/v2/<repository>/blobs/sha256:<hex>` on the agent endpoint; '' if the registry lost the blob. */
  image: string;
  imageSha256: string;
  lanIp: string;
  vip: string;
  /** The etcd members' addresses, comma-separated: every control-plane node's LAN address, in pool order. */
  etcd: string;
  /** The profile's layers above Kubernetes, comma-separated (clusterLayers): `cni-calico@3.30.1,manifest:hello`. */
  layers: string;
  /**
   * `new`: a control plane created with the cluster bootstraps etcd with the others; `existing`:
   * one added on Day-2 joins the running etcd (member add, then initial-cluster-state existing).
   */
  etcdState: 'new' | 'existing';
  /** The cluster's NTP servers (the wizard's Cluster Config), comma-separated; '' for none. */
  ntp: string;
  /** Node names removed from the cluster, comma-separated: the control plane deletes their node records and leases. */
  removedNodes: string;
  /** LAN addresses of control planes removed from the cluster, comma-separated: the control plane removes their etcd members. */
  removedMembers: string;
}

/**
 * Its turn in a rolling upgrade (palette-api.md, "Upgrade"): write the image of `version` to the
 * passive partition and reboot into it with boot tries counted. Flat strings, as AssignedReply.
 */
export interface UpgradeReply {
  status: 'upgrade';
  cluster: string;
  version: string;
  image: string;
  imageSha256: string;
  k8sVersion: string;
  distribution: string;
  layers: string;
}

/** `hostKey`: the host's new credential (host-keys.ts), for `Authorization: Bearer` on its later calls. */
export type RegisterReply = { status: 'registered'; project: string; hostKey: string } | { status: 'pending'; message: string } | AgentRefusal | BadRequest;
/**
 * `reset`: the host's cluster is being deleted (`why: cluster-deleted`), or the host was removed
 * from it (`why: host-removed`); either way the host resets (palette-api.md, "Cluster deletion", "Day-2").
 */
export type HeartbeatReply = { status: 'ok' } | { status: 'pending' } | { status: 'reset'; cluster: string; why: 'cluster-deleted' | 'host-removed' } | AssignedReply | UpgradeReply | AgentRefusal | BadRequest;
export type ProvisioningReply = { status: 'ok' } | AgentRefusal | BadRequest;

// ---------------------------------------------------------------------------------------------

/**
 * One lab's Palette. All state lives in the store (a second instance on the same database sees
 * the same Palette); only heartbeat long polls wait in memory. Page inputs are checked at run
 * time, so JSON from a request can be passed as is.
 */
export interface Palette {
  readonly labId: string;
  /** Creates project `Default` if missing; nothing else. Idempotent. */
  ensureDefaults(): Promise<void>;
  projects: {
    list(): Promise<ProjectView[]>;
    create(input: { name: string }): Promise<{ ok: true; project: ProjectView } | Failure>;
  };
  tokens: {
    list(): Promise<TokenView[]>;
    /** `warnings` says e.g. that the expiration date has already passed. */
    create(input: NewToken): Promise<{ ok: true; token: TokenView; warnings: PaletteIssue[] } | Failure>;
    delete(name: string): Promise<{ ok: true } | Failure>;
  };
  profiles: {
    /** Every version of every profile, by name then version. */
    list(): Promise<ProfileView[]>;
    /** Without `version`: the highest version. */
    get(name: string, version?: string): Promise<ProfileView | undefined>;
    save(raw: unknown): Promise<{ ok: true; profile: ProfileView; warnings: PaletteIssue[] } | Failure>;
    /** Without `version`: every version. Refused while a cluster uses one. */
    delete(name: string, version?: string): Promise<{ ok: true; deleted: string[] } | Failure>;
  };
  hosts: {
    /** The Edge Hosts grid, by host ID. */
    list(): Promise<EdgeHostRow[]>;
    get(hostId: string): Promise<EdgeHostRow | undefined>;
    /** A `registered` answer carries a fresh host key; the one issued before stops working. */
    agentRegister(body: unknown): Promise<RegisterReply>;
    /**
     * Long poll with `wait` (s): answers at once with news (a new assignment), else after `wait`, on news, or on abort.
     * `hostKey` must be the key of the host in the path; otherwise `host-credential`, and nothing is written.
     */
    agentHeartbeat(hostId: string, body: unknown, opts?: { signal?: AbortSignal; hostKey?: string }): Promise<HeartbeatReply>;
    /** `hostKey` as for agentHeartbeat. */
    agentProvisioning(hostId: string, body: unknown, opts?: { hostKey?: string }): Promise<ProvisioningReply>;
    /** A host's report on its turn in a rolling upgrade; `hostKey` as for agentHeartbeat. */
    agentUpgrade(hostId: string, body: unknown, opts?: { hostKey?: string }): Promise<ProvisioningReply>;
    /** The registered host whose key `hostKey` is, or undefined (who may download registry blobs). */
    keyHolder(hostKey: string): Promise<string | undefined>;
    /**
     * Add Edge Hosts by ID: before the host asks (it registers on arrival) or after (a pending host registers now).
     * A new ID beyond the lab's cap of edge host records (host-limit.ts) is a `conflict` with code `host-limit`.
     */
    addHostId(hostId: string, project?: string, tags?: Record<string, string>): Promise<{ ok: true; host: EdgeHostRow } | Failure>;
    /** Refused while In-Use. */
    deleteHost(hostId: string): Promise<{ ok: true } | Failure>;
    /** Replaces the host's tags; from then on the agent's reported tags no longer overwrite them. */
    setTags(hostId: string, tags: Record<string, string>): Promise<{ ok: true; host: EdgeHostRow } | Failure>;
  };
  clusters: {
    list(): Promise<ClusterView[]>;
    get(name: string): Promise<ClusterDetail | undefined>;
    /** The wizard's data (clusterSpecSchema) plus optional `project` (default `Default`). */
    create(raw: unknown): Promise<{ ok: true; cluster: ClusterView; warnings: PaletteIssue[] } | Failure>;
    /**
     * Update a Running cluster to a newer version of its profile (`{profile: {id, version}}`): it is
     * Upgrading while its hosts are repaved one at a time (pure/palette/upgrade.ts).
     */
    upgrade(name: string, raw: unknown): Promise<{ ok: true; cluster: ClusterView } | Failure>;
    /** Deleting, then removed; its hosts are Ready again. */
    delete(name: string): Promise<{ ok: true } | Failure>;
    /** Day-2 (pure/palette/pool-edit.ts): a Ready host joins the Running cluster's worker pool. */
    addWorker(name: string, hostId: string): Promise<{ ok: true; cluster: ClusterView } | Failure>;
    /** Day-2: the worker leaves the cluster at once; its host resets at its next heartbeat, then is Ready. */
    removeWorker(name: string, hostId: string): Promise<{ ok: true; cluster: ClusterView } | Failure>;
    /** Day-2: `replacement` (Ready) takes control-plane host `hostId`'s place; `hostId` leaves as a removed worker does. */
    replaceControlPlane(name: string, hostId: string, replacement: string): Promise<{ ok: true; cluster: ClusterView } | Failure>;
  };
  /** The lab registry's blobs, and its drill: a damaged copy served until the image is pushed again (registry-faults.ts). */
  registry: RegistryFaults & {
    blob(repository: string, sha256: string): RegistryBlob | undefined;
    /** The blob a provider image reference (`registry.lab/<repository>:<tag>`) is served from. */
    blobForImage(imageName: string): RegistryBlob | undefined;
  };
  /** Recomputes host and cluster health from now(); appends palette.host.health / palette.cluster.status for changes. */
  sweepHealth(): Promise<void>;
  /** Ends waiting long polls (they answer with the current state) and stops timers. */
  close(): void;
}
