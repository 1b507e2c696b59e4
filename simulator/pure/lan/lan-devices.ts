// Machines on a lab's LAN that are not edge hosts (the VIP clash drill's "someone else already
// uses that address"): the rule for where one may be put, and the MAC it gets. Pure.
import { inSubnet } from '../palette/cluster-network';
import { isIPv4 } from '../user-data/net';

/** At most this many stranger devices on one lab LAN. */
export const MAX_LAN_DEVICES = 4;

export interface LanDeviceRecord {
  ip: string;
  mac: string;
  addedAt: number;
}

export interface LanPlan {
  /** The LAN, e.g. `10.77.0.0/24`. */
  cidr: string;
  /** The hosts' own LAN addresses: a device there would be a different fault, so it is refused. */
  hostAddresses: readonly string[];
}

/** Why a device may not be put somewhere: `invalid` (no such place for it) or `conflict` (taken, or the LAN is full). */
export interface DeviceAddressProblem {
  code: 'invalid' | 'conflict';
  /** What is wrong and what to do, starting with the field (`ip: …`) where there is one. */
  message: string;
}

/** Why a device may not be put at `ip` on this LAN, or null. */
export function deviceAddressProblem(ip: unknown, plan: LanPlan, devices: readonly LanDeviceRecord[]): DeviceAddressProblem | null {
  const [base = '', prefixText = '32'] = plan.cidr.split('/');
  const example = `e.g. the cluster's VIP`;
  const invalid = (message: string): DeviceAddressProblem => ({ code: 'invalid', message });
  const conflict = (message: string): DeviceAddressProblem => ({ code: 'conflict', message });
  if (typeof ip !== 'string' || !isIPv4(ip)) return invalid(`ip: ${JSON.stringify(ip ?? null)} is not an IPv4 address; give an address on the lab LAN ${plan.cidr}, ${example}`);
  if (!inSubnet(ip, base, Number(prefixText))) return invalid(`ip: ${ip} is not on the lab LAN ${plan.cidr}; give an address inside it, ${example}`);
  if (ip === timeServerAddress(plan.cidr)) return invalid(`ip: ${ip} is the site's time server; give a free address on ${plan.cidr}, ${example}`);
  if (plan.hostAddresses.includes(ip)) return invalid(`ip: ${ip} is an edge host's own address; give a free address on ${plan.cidr}, ${example}`);
  if (devices.some((d) => d.ip === ip)) return conflict(`ip: a device already uses ${ip}; remove it first, or pick another address`);
  if (devices.length >= MAX_LAN_DEVICES) return conflict(`the lab LAN already has ${MAX_LAN_DEVICES} other devices; remove one first`);
  return null;
}

/** A locally administered unicast MAC for the device at `ip`, one per address. */
export function deviceMac(ip: string): string {
  return ['0e', 'a1', ...ip.split('.').map((x) => Number(x).toString(16).padStart(2, '0'))].join(':');
}

/** The host part of the site's time server on every lab LAN: 123, NTP's port, to be easy to remember. */
export const TIME_SERVER_HOST = 123;

/** The address of the site's time server (NTP) on the LAN `cidr`, e.g. 10.77.0.123 on 10.77.0.0/24. */
export function timeServerAddress(cidr: string): string {
  const [base = '0.0.0.0'] = cidr.split('/');
  const o = base.split('.').map(Number);
  return [o[0], o[1], o[2], (o[3] ?? 0) + TIME_SERVER_HOST].join('.');
}
