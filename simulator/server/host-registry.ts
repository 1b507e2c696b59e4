// The edge hosts the lab server knows about, behind an interface so the agent API can be tested
// with any implementation. This file holds the in-memory one; the simulated Palette (with
// persistence) will provide another later.
//
// Rules kept here (the agent API adds token and body checks on top):
// - A host ID belongs to the machine that first used it, identified by its MAC address. A
//   registration of the same ID from another MAC is a `duplicate`; nothing changes.
// - The same machine registering again is idempotent: its record keeps its state, project and
//   timestamps of registration; only what the host reports about itself (IP, name, tags,
//   hardware) and `lastSeenAt` are refreshed. One exception: a `pending` host that now asks for
//   automatic registration is registered.
// - `autoRegister: false` leaves a new host `pending` until `approve(hostId)`.
// - Heartbeats count only for registered hosts.
// Records handed out are copies: callers cannot change the registry through them.

export type HostState = 'pending' | 'registered';

/** What a host reports about itself when it registers. */
export interface HostFacts {
  hostName: string;
  /** Parsed from the agent's `k=v,k2=v2` list. */
  tags: Record<string, string>;
  /** Empty when the host has no address yet. */
  ip: string;
  /** Lowercase `aa:bb:cc:dd:ee:ff`; empty when the agent could not read it. */
  mac: string;
  arch: string;
  cpus: number;
  memoryMb: number;
  os: string;
}

export interface RegistrationRequest extends HostFacts {
  hostId: string;
  /** The project the host joins, already resolved from the token and `projectName`. */
  project: string;
  autoRegister: boolean;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

export interface HostRecord extends HostFacts {
  hostId: string;
  state: HostState;
  project: string;
  /** The autoRegister flag of the latest registration request. */
  autoRegister: boolean;
  firstSeenAt: number;
  /** Latest registration request or heartbeat. */
  lastSeenAt: number;
  /** When the host became registered; null while pending. */
  registeredAt: number | null;
  lastHeartbeatAt: number | null;
}

export type RegisterResult =
  | { outcome: 'registered'; host: HostRecord }
  | { outcome: 'pending'; host: HostRecord }
  /** Another machine (another MAC) already holds this host ID. */
  | { outcome: 'duplicate'; existing: HostRecord };

export type HeartbeatResult =
  | { outcome: 'ok'; host: HostRecord }
  | { outcome: 'pending'; host: HostRecord }
  | { outcome: 'unknown' };

export type ApproveResult =
  | { outcome: 'approved'; host: HostRecord }
  | { outcome: 'already-registered'; host: HostRecord }
  | { outcome: 'unknown' };

export interface HostRegistry {
  register(req: RegistrationRequest): RegisterResult;
  heartbeat(hostId: string, ip: string, at: number): HeartbeatResult;
  /** Every host, in the order they first registered. */
  list(): HostRecord[];
  /** Manual registration: turns a pending host into a registered one. */
  approve(hostId: string, at: number): ApproveResult;
}

const copy = (h: HostRecord): HostRecord => ({ ...h, tags: { ...h.tags } });

export function createInMemoryHostRegistry(): HostRegistry {
  const hosts = new Map<string, HostRecord>(); // Map keeps insertion order: list() is stable.

  const refresh = (h: HostRecord, req: RegistrationRequest): void => {
    h.hostName = req.hostName;
    h.tags = { ...req.tags };
    h.ip = req.ip;
    h.arch = req.arch;
    h.cpus = req.cpus;
    h.memoryMb = req.memoryMb;
    h.os = req.os;
    h.autoRegister = req.autoRegister;
    h.lastSeenAt = req.at;
  };

  return {
    register(req) {
      const existing = hosts.get(req.hostId);
      if (existing) {
        if (existing.mac !== req.mac) return { outcome: 'duplicate', existing: copy(existing) };
        refresh(existing, req);
        if (existing.state === 'pending') {
          existing.project = req.project; // Not placed anywhere yet: follows the latest request.
          if (req.autoRegister) {
            existing.state = 'registered';
            existing.registeredAt = req.at;
          }
        }
        return { outcome: existing.state, host: copy(existing) };
      }
      const state: HostState = req.autoRegister ? 'registered' : 'pending';
      const host: HostRecord = {
        hostId: req.hostId,
        state,
        project: req.project,
        autoRegister: req.autoRegister,
        hostName: req.hostName,
        tags: { ...req.tags },
        ip: req.ip,
        mac: req.mac,
        arch: req.arch,
        cpus: req.cpus,
        memoryMb: req.memoryMb,
        os: req.os,
        firstSeenAt: req.at,
        lastSeenAt: req.at,
        registeredAt: state === 'registered' ? req.at : null,
        lastHeartbeatAt: null,
      };
      hosts.set(host.hostId, host);
      return { outcome: state, host: copy(host) };
    },

    heartbeat(hostId, ip, at) {
      const h = hosts.get(hostId);
      if (!h) return { outcome: 'unknown' };
      if (h.state !== 'registered') return { outcome: 'pending', host: copy(h) };
      h.ip = ip;
      h.lastSeenAt = at;
      h.lastHeartbeatAt = at;
      return { outcome: 'ok', host: copy(h) };
    },

    list() {
      return [...hosts.values()].map(copy);
    },

    approve(hostId, at) {
      const h = hosts.get(hostId);
      if (!h) return { outcome: 'unknown' };
      if (h.state === 'registered') return { outcome: 'already-registered', host: copy(h) };
      h.state = 'registered';
      h.registeredAt = at;
      return { outcome: 'approved', host: copy(h) };
    },
  };
}
