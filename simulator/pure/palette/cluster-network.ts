// Cluster Config and per-host network rules of the cluster wizard (reference §6): the VIP, the
// overlay network, static IPs, NTP servers and SSH keys.
import { isIPv4, maskPrefixLength } from '../user-data/net';
import { error, warning, type PaletteIssue } from './issues';
import { checkNtpServer, checkSshKey } from './names';

/** Lab default for "Internal CIDR Range" when the overlay is on and no range is given. */
export const DEFAULT_OVERLAY_CIDR = '100.64.192.0/23';

export interface StaticIp {
  ip: string;
  gateway: string;
  subnetMask: string;
  dns?: string;
}

/** A host placed in a pool, with the address it will have in the cluster. */
export interface ClusterNode {
  /** Path of the pool entry, e.g. `controlPlanePool.hosts[0]`. */
  path: string;
  hostId: string;
  /** The static IP when set, else the IP the host reports ('' when unknown). */
  ip: string;
  staticIp?: StaticIp;
}

export interface NetworkInput {
  vip: string;
  overlay?: { enabled: boolean; cidr?: string };
  ntpServers?: string[];
  sshKeys?: string[];
}

const toUint32 = (ip: string): number => ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
const fromUint32 = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const network = (ip: string, prefix: number): number => toUint32(ip) - (toUint32(ip) % 2 ** (32 - prefix));

export function inSubnet(ip: string, base: string, prefix: number): boolean {
  return network(ip, prefix) === network(base, prefix);
}

/** Why an address cannot be a VIP (loopback, multicast, …), or undefined. */
function reservedUse(ip: string): string | undefined {
  const first = Number(ip.split('.')[0]);
  if (ip === '0.0.0.0' || ip === '255.255.255.255') return 'is not a usable address';
  if (first === 127) return 'is a loopback address';
  if (first >= 224) return 'is a multicast or reserved address';
  if (ip.startsWith('169.254.')) return 'is a link-local address';
  return undefined;
}

function checkVip(input: NetworkInput, nodes: readonly ClusterNode[], others: readonly { id: string; ip: string }[]): PaletteIssue[] {
  const { vip } = input;
  if (vip.trim() === '') return [error('vip', 'vip-invalid', 'the cluster has no VIP', 'enter a free IPv4 address on the hosts\' network, e.g. `192.168.50.100`')];
  if (!isIPv4(vip)) return [error('vip', 'vip-invalid', `\`${vip}\` is not an IPv4 address`, 'enter a free address on the hosts\' network, e.g. `192.168.50.100`')];
  const reserved = reservedUse(vip);
  if (reserved) return [error('vip', 'vip-invalid', `\`${vip}\` ${reserved} and cannot be a VIP`, 'enter a free address on the hosts\' network')];
  const issues: PaletteIssue[] = [];
  // The wizard's rule (reference §6): the VIP overlaps no host's IP, on a single node too. (The
  // agent would tolerate a single node's own IP by not running kube-vip; the lab follows the wizard.)
  const own = nodes.find((n) => n.ip === vip);
  if (own) {
    issues.push(error('vip', 'vip-conflict', `the VIP \`${vip}\` is the IP of host ${own.hostId}, a node of this cluster; the VIP must be an address no host uses`, 'pick an unused address on the same network'));
  }
  const foreign = others.find((h) => h.ip === vip && !nodes.some((n) => n.hostId === h.id));
  if (foreign) {
    issues.push(error('vip', 'vip-conflict', `the VIP \`${vip}\` is already the IP of host ${foreign.id}, which is not in this cluster`, 'pick an address no machine on the network uses'));
  }
  const overlay = input.overlay;
  if (overlay?.enabled) {
    const cidr = overlay.cidr?.trim() || DEFAULT_OVERLAY_CIDR;
    const [base = '', bits = ''] = cidr.split('/');
    const prefix = Number(bits);
    if (!isIPv4(base) || !/^\d{1,2}$/.test(bits) || prefix < 8 || prefix > 30) {
      issues.push(error('overlay.cidr', 'overlay-cidr-invalid', `\`${cidr}\` is not an IPv4 range with a prefix between /8 and /30`, `write e.g. \`${DEFAULT_OVERLAY_CIDR}\``));
    } else if (network(base, prefix) !== toUint32(base)) {
      const fixed = `${fromUint32(network(base, prefix))}/${prefix}`;
      issues.push(error('overlay.cidr', 'overlay-cidr-invalid', `\`${cidr}\` is not the start of its range`, `write \`${fixed}\``));
    } else if (!inSubnet(vip, base, prefix)) {
      issues.push(error('vip', 'vip-outside-overlay', `with the overlay network on, the VIP must be inside the internal CIDR \`${cidr}\`, and \`${vip}\` is not`, `pick a VIP inside \`${cidr}\`, e.g. \`${fromUint32(toUint32(base) + 1)}\``));
    }
  }
  return issues;
}

function checkStaticIp(node: ClusterNode): PaletteIssue[] {
  const s = node.staticIp;
  if (!s) return [];
  const at = `${node.path}.staticIp`;
  const issues: PaletteIssue[] = [];
  const ipOk = isIPv4(s.ip) && !reservedUse(s.ip);
  if (!ipOk) issues.push(error(`${at}.ip`, 'static-ip-invalid', `\`${s.ip}\` is not a usable IPv4 address`, 'enter the host\'s address, e.g. `192.168.50.11`'));
  const prefix = maskPrefixLength(s.subnetMask);
  if (prefix === undefined || prefix === 0 || prefix > 30) {
    issues.push(error(`${at}.subnetMask`, 'static-ip-invalid', `\`${s.subnetMask}\` is not a usable subnet mask`, 'enter e.g. `255.255.255.0`'));
  }
  if (!isIPv4(s.gateway)) {
    issues.push(error(`${at}.gateway`, 'static-ip-invalid', `\`${s.gateway}\` is not an IPv4 address`, 'enter the router\'s address, e.g. `192.168.50.1`'));
  } else if (ipOk && prefix !== undefined && prefix > 0 && prefix <= 30) {
    if (s.gateway === s.ip) issues.push(error(`${at}.gateway`, 'static-gateway-outside', 'the gateway is the host\'s own address', 'enter the router\'s address'));
    else if (!inSubnet(s.gateway, s.ip, prefix)) {
      issues.push(error(`${at}.gateway`, 'static-gateway-outside', `the gateway \`${s.gateway}\` is outside the host's subnet ${fromUint32(network(s.ip, prefix))}/${prefix}`, 'enter a gateway on the same subnet, or correct the subnet mask'));
    }
  }
  if (s.dns !== undefined && s.dns !== '' && !isIPv4(s.dns)) {
    issues.push(error(`${at}.dns`, 'static-ip-invalid', `\`${s.dns}\` is not an IPv4 address`, 'enter the DNS server\'s address, e.g. `192.168.50.1`, or leave it empty'));
  }
  return issues;
}

/** The Cluster Config step plus per-host static IPs. `others` are all edge hosts with an IP. */
export function networkIssues(input: NetworkInput, nodes: readonly ClusterNode[], others: readonly { id: string; ip: string }[]): PaletteIssue[] {
  const issues = [...checkVip(input, nodes, others), ...nodes.flatMap(checkStaticIp)];
  const byIp = new Map<string, string>();
  for (const n of nodes) {
    if (!n.staticIp || !isIPv4(n.staticIp.ip)) continue;
    const first = byIp.get(n.staticIp.ip);
    if (first) issues.push(error(`${n.path}.staticIp.ip`, 'static-ip-duplicate', `\`${n.staticIp.ip}\` is already the static IP of host ${first}`, 'give every host its own address'));
    else byIp.set(n.staticIp.ip, n.hostId);
  }
  (input.ntpServers ?? []).forEach((s, i) => issues.push(...checkNtpServer(s, `ntpServers[${i}]`)));
  if (nodes.length > 1 && (input.ntpServers ?? []).length === 0) {
    issues.push(warning('ntpServers', 'ntp-missing', 'a cluster of several nodes needs synchronised clocks, and no NTP server is set', 'add an NTP server, e.g. `pool.ntp.org`, unless the hosts already sync their time'));
  }
  (input.sshKeys ?? []).forEach((k, i) => issues.push(...checkSshKey(k, `sshKeys[${i}]`)));
  return issues;
}
