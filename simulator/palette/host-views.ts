// Edge host records as the grid shows them, and the facts derived from a record that several
// parts need (last contact, live health).
import { hostHealth, hostStatus, type HostHealth } from '../pure/palette';
import type { ClusterDoc, HostDoc } from './records';
import type { EdgeHostRow } from './types';

/** The latest request from the machine (register or heartbeat); registeredAt if it never asked. */
export function lastContact(h: HostDoc): number | null {
  const times = [h.lastSeenAt, h.lastHeartbeatAt].filter((t): t is number => t !== null);
  return times.length === 0 ? h.registeredAt : Math.max(...times);
}

/** Health from contact times now; null while not registered. */
export function liveHealth(h: HostDoc, now: number): HostHealth | null {
  if (h.registration !== 'registered') return null;
  const at = lastContact(h);
  return at === null ? 'unhealthy' : hostHealth(at, now);
}

const CAPITAL = { healthy: 'Healthy', unhealthy: 'Unhealthy' } as const;

/** `clusters` by name, to show the provider image tag of an In-Use host. */
export function hostRow(h: HostDoc, now: number, clusters: ReadonlyMap<string, ClusterDoc>): EdgeHostRow {
  const health = liveHealth(h, now);
  const image = h.cluster === null ? undefined : clusters.get(h.cluster)?.image.name;
  return {
    hostId: h.hostId,
    status: hostStatus(h.registration, h.cluster),
    health: health === null ? null : CAPITAL[health],
    registration: h.registration,
    method: h.method,
    tags: { ...h.tags },
    cluster: h.cluster,
    cpus: h.cpus,
    memoryMb: h.memoryMb,
    os: image ? image.slice(image.lastIndexOf(':') + 1) : h.os,
    ip: h.ip,
    mac: h.mac,
    arch: h.arch,
    project: h.project,
    hostName: h.hostName,
    firstSeenAt: h.firstSeenAt,
    registeredAt: h.registeredAt,
    lastHeartbeatAt: h.lastHeartbeatAt,
  };
}

/** A record for an ID nobody has reported about yet. */
export function blankHost(hostId: string, project: string): HostDoc {
  return {
    hostId, registration: 'added', project, method: null, autoRegister: null, hostName: '', tags: {}, tagsFrom: 'host',
    ip: '', mac: '', deviceUuid: '', installId: '', arch: '', cpus: 0, memoryMb: 0, os: '',
    addedAt: null, firstSeenAt: null, lastSeenAt: null, registeredAt: null, lastHeartbeatAt: null,
    health: null, cluster: null, assignmentSeen: false, keySha256: null,
  };
}

export const byName = (clusters: readonly ClusterDoc[]): Map<string, ClusterDoc> => new Map(clusters.map((c) => [c.name, c]));
