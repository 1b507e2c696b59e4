/**
 * A scenario: one guide's lab written as data, read by the headless runner
 * (`edge-lab scenario run`) and, later, by the pages. Pure: no I/O, so the site
 * can import it. The format allows several hosts from the start; each host has
 * a fixed name (the lab's handle for the VM) and a fixed address on the lab LAN.
 */
import type { ClusterProfile } from '../palette/profile';
import type { ClusterSpec } from '../palette/cluster';

export interface ScenarioHost {
  /** The VM's name in the lab (also its key in the lab view); a valid host ID. */
  name: string;
  memoryMb: number;
  diskMb: number;
  /** Address on the lab LAN (the second NIC), inside `lan.cidr`. */
  lanAddress: string;
}

/** What the scenario's user data may refer to; filled in by whoever runs it. */
export interface UserDataVars {
  /** The registration token's value (a credential; never stored in the scenario). */
  token: string;
  /** The Palette endpoint name the guests resolve to the lab. */
  endpoint: string;
  /** The host this copy of the installer is for. */
  host: ScenarioHost;
}

export interface Scenario {
  name: string;
  title: string;
  summary: string;
  lan: { cidr: string; prefix: number };
  hosts: readonly ScenarioHost[];
  project: string;
  tokenName: string;
  profile: ClusterProfile;
  /** One installer for all hosts when it does not depend on `host`. */
  userData: (vars: UserDataVars) => string;
  /** The cluster wizard's answers, given the Palette host IDs of the scenario's hosts in order. */
  cluster: (hostIds: readonly string[]) => ClusterSpec;
  /** Typed on each control-plane host's console at the end; every pattern must appear. */
  verify: { command: string; expect: (hostIds: readonly string[], spec: ClusterSpec) => readonly RegExp[] };
}
