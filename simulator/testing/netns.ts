/**
 * "Another computer" for tests of room mode: a network namespace of its own, joined to this one by
 * a veth pair with addresses from 198.18.0.0/15 (set aside for benchmarking, never routed), so a
 * browser started inside it reaches the lab server only over that link, as a learner's machine
 * would over a LAN. remove() deletes the namespace (which deletes the pair); a namespace of a run
 * that died is found by its name prefix (TEST_NETNS_PREFIX) and removed at the suite's end.
 *
 * Needs root (or CAP_NET_ADMIN) and iproute2. Where the machine refuses, create() says why and
 * the test reports itself skipped with that reason.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const TEST_NETNS_PREFIX = 'edge-lab-test-ns-';

export interface TestNetns {
  /** The namespace's name, for `ip netns exec`. */
  name: string;
  /** This machine's end of the link (where the server listens). */
  hostAddress: string;
  /** The namespace's end (the "learner's computer"). */
  peerAddress: string;
  remove(): Promise<void>;
}

export type NetnsOutcome = { ok: true; netns: TestNetns } | { ok: false; reason: string };

export async function createTestNetns(): Promise<NetnsOutcome> {
  const id = randomBytes(3).toString('hex');
  const name = `${TEST_NETNS_PREFIX}${id}`;
  const hostIf = `elt${id}h`;
  const peerIf = `elt${id}n`;
  // A /30 in 198.18.0.0/15 picked at random, so concurrent runs rarely meet.
  const n = randomBytes(2).readUInt16BE(0) & 0x1ff;
  const third = n >> 1;
  const base = (n & 1) * 128 + (randomBytes(1)[0]! % 32) * 4;
  const hostAddress = `198.18.${third}.${base + 1}`;
  const peerAddress = `198.18.${third}.${base + 2}`;
  const remove = async (): Promise<void> => {
    await run('ip', ['netns', 'delete', name]).catch(() => undefined);
    await run('ip', ['link', 'delete', hostIf]).catch(() => undefined);
  };
  try {
    await run('ip', ['netns', 'add', name]);
  } catch (err) {
    return { ok: false, reason: `this machine refuses to create a network namespace (${firstLine(err)}); room-mode tests need root and iproute2` };
  }
  try {
    await run('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', peerIf]);
    await run('ip', ['link', 'set', peerIf, 'netns', name]);
    await run('ip', ['addr', 'add', `${hostAddress}/30`, 'dev', hostIf]);
    await run('ip', ['link', 'set', hostIf, 'up']);
    await run('ip', ['netns', 'exec', name, 'ip', 'addr', 'add', `${peerAddress}/30`, 'dev', peerIf]);
    await run('ip', ['netns', 'exec', name, 'ip', 'link', 'set', peerIf, 'up']);
    await run('ip', ['netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up']);
  } catch (err) {
    await remove();
    return { ok: false, reason: `a veth pair into the test namespace could not be set up (${firstLine(err)})` };
  }
  return { ok: true, netns: { name, hostAddress, peerAddress, remove } };
}

/** Test namespaces still present (a run that was killed), by name. */
export async function leftoverTestNetns(): Promise<string[]> {
  const names = await readdir('/run/netns').catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(TEST_NETNS_PREFIX));
}

export async function removeTestNetns(name: string): Promise<void> {
  await run('ip', ['netns', 'delete', name]).catch(() => undefined);
}

function firstLine(err: unknown): string {
  const e = err as { stderr?: string; message?: string };
  return (e.stderr || e.message || String(err)).trim().split('\n')[0] ?? '';
}
