/**
 * The lab's virtual edge hosts: one per host of the scenario, with a hardware
 * identity (SMBIOS UUID, MACs) made once and kept in the store, a qcow2 disk in
 * the lab's directory and a NIC on the lab LAN (plugged into the lab's hub
 * while the VM runs; nothing else can reach it). Guests reach only the lab's own
 * endpoint names, relayed to the lab's agent listener.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ScenarioHost } from '../pure/scenarios';
import type { LabStore } from '../store/types';
import type { GuestImages } from '../images/guest-images';
import { EdgeHost, loopbackRelay } from '../hosts/edge-host';
import type { HostIo } from '../hosts/host-io';
import type { VmDriver } from '../vm/types';
import type { LanHub } from '../vm/lan-hub';

/** What the store keeps about one VM; stable for the lab's life. */
export interface VmRecord {
  name: string;
  uuid: string;
  mac: string;
  lanMac: string;
  lanAddress: string;
  memoryMb: number;
  diskMb: number;
}

export const VM_KIND = 'vm';

const mac = (): string => `52:54:00:${[...randomBytes(3)].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;

/** The VM records of the lab, created on first use. */
export async function vmRecords(store: LabStore, labId: string, hosts: readonly ScenarioHost[]): Promise<VmRecord[]> {
  const out: VmRecord[] = [];
  for (const h of hosts) {
    const known = await store.get<VmRecord>(labId, VM_KIND, h.name);
    if (known) { out.push(known.doc); continue; }
    const rec: VmRecord = { name: h.name, uuid: randomUUID(), mac: mac(), lanMac: mac(), lanAddress: h.lanAddress, memoryMb: h.memoryMb, diskMb: h.diskMb };
    await store.put(labId, VM_KIND, h.name, rec, { expectedVersion: 0 });
    out.push(rec);
  }
  return out;
}

export interface VmEnvironment {
  dir: string;
  images: GuestImages;
  driver: VmDriver;
  io: HostIo;
  tscKhz: number;
  hub: LanHub;
  lanPrefix: number;
  /** Names the guests resolve to the lab's agent listener (Palette endpoint, registry). */
  endpointNames: readonly string[];
  agentPort: number;
}

export function diskPathOf(dir: string, vm: string): string {
  return join(dir, 'disks', `${vm}.qcow2`);
}

export async function makeEdgeHost(rec: VmRecord, env: VmEnvironment): Promise<EdgeHost> {
  return new EdgeHost({
    name: `edge-lab-${rec.name}`,
    uuid: rec.uuid,
    mac: rec.mac,
    cpus: 1,
    memoryMb: rec.memoryMb,
    diskPath: diskPathOf(env.dir, rec.name),
    diskSizeMb: rec.diskMb,
    images: env.images,
    endpoints: env.endpointNames.map((hostname) => ({ hostname, hostPort: env.agentPort })),
    relayCommand: loopbackRelay,
    lan: { mac: rec.lanMac, address: `${rec.lanAddress}/${env.lanPrefix}`, hub: env.hub },
    tscKhz: env.tscKhz,
  }, env.driver, env.io);
}
