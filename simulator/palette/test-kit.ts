// Shared by the Palette tests (not a test itself): a lab on the memory store or on a real SQLite
// file in a temp directory, an injected clock, the lab events seen by onEvent, a provider image
// blob on disk, and valid inputs to vary.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryStore } from '../store/memory-store';
import { openSqliteStore } from '../store/sqlite-store';
import type { LabEvent, LabStore } from '../store/types';
import { PALETTE_EVENT_TYPES, paletteEventOf } from '../pure/protocol/palette-events';
import { createPalette } from './palette';
import type { Palette, PaletteDeps, RegistryBlob } from './types';

export const STORES = ['memory', 'sqlite'] as const;
export type StoreKind = (typeof STORES)[number];

export const T0 = Date.UTC(2025, 5, 1, 8, 0, 0);
export const LAB = 'lab-1';
export const MAC = '52:54:00:a0:00:01';
export const OTHER_MAC = '52:54:00:a0:00:02';
export const K3S_IMAGE = 'registry.lab/edge-lab-provider:k3s-1.32.4-v4.7.16-lab';

export interface Kit {
  palette: Palette;
  store: LabStore;
  clock: { now: number };
  advance(ms: number): void;
  /** Lab events passed to onEvent, in order. */
  events: LabEvent[];
  /** Event types passed to onEvent since the last call. */
  takeTypes(): string[];
  blob: RegistryBlob;
  /** Another Palette on the same store (or, for SQLite, on a new connection to the same file). */
  second(over?: Partial<PaletteDeps>): Promise<{ palette: Palette; store: LabStore }>;
  /** Closes the store(s) and removes the temp directory. */
  dispose(): Promise<void>;
}

/**
 * Every event the Palette emits must be one the pages can read: its payload is held to the
 * contract's schema for its type (pure/protocol/palette-events.ts), so every Palette test also
 * tests the contract.
 */
function checkedAgainstContract(e: LabEvent): LabEvent {
  if (!(PALETTE_EVENT_TYPES as readonly string[]).includes(e.type) || !paletteEventOf({ type: e.type, ...(e.payload as object) })) {
    throw new Error(`[palette-test] the Palette emitted ${e.type} ${JSON.stringify(e.payload)}, which pure/protocol/palette-events.ts does not describe`);
  }
  return e;
}

export async function openKit(kind: StoreKind, over: Partial<PaletteDeps> = {}): Promise<Kit> {
  const dir = mkdtempSync(join(tmpdir(), 'palette-test-'));
  const clock = { now: T0 };
  let ids = 0;
  const storeDeps = { now: () => new Date(clock.now), newId: () => `id-${++ids}` };
  const dbPath = join(dir, 'lab.db');
  const store: LabStore = kind === 'memory' ? createMemoryStore(storeDeps) : await openSqliteStore(dbPath, storeDeps);
  await store.createLab({ id: LAB, scenario: 'test' });
  const data = Buffer.from('a provider OS image, in the lab a gzip tar');
  const blobPath = join(dir, 'provider.tar.gz');
  writeFileSync(blobPath, data);
  const blob: RegistryBlob = { repository: 'edge-lab-provider', sha256: createHash('sha256').update(data).digest('hex'), size: data.length, path: blobPath };
  const events: LabEvent[] = [];
  let taken = 0;
  const extra: LabStore[] = [];
  const opened: Palette[] = [];
  const deps = (s: LabStore, o: Partial<PaletteDeps>): PaletteDeps => ({
    store: s, labId: LAB, now: () => clock.now, newId: () => `id-${++ids}`, registry: [blob], onEvent: (e) => events.push(checkedAgainstContract(e)), ...o,
  });
  const palette = createPalette(deps(store, over));
  opened.push(palette);
  return {
    palette, store, clock, events, blob,
    advance: (ms) => { clock.now += ms; },
    takeTypes: () => events.slice(taken, (taken = events.length)).map((e) => e.type),
    async second(o = {}) {
      const s = kind === 'memory' ? store : await openSqliteStore(dbPath, storeDeps);
      if (s !== store) extra.push(s);
      const p = createPalette(deps(s, { onEvent: undefined, ...o }));
      opened.push(p);
      return { palette: p, store: s };
    },
    async dispose() {
      opened.forEach((p) => p.close());
      for (const s of [...extra, store]) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A registration body exactly as the guest agent builds it. */
export const agentBody = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  hostId: 'edge-1', token: '', projectName: '', autoRegister: true, hostName: 'localhost', tags: 'region=east',
  ip: '10.0.2.15', mac: MAC, arch: 'amd64', cpus: 2, memoryMb: 8192, os: 'Edge Lab guest', ...over,
});

export const k3sProfile = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'edge-k3s-lab', version: '1.0.0', cloudType: 'edge-native', type: 'full',
  layers: [
    { type: 'os', pack: 'edge-native-byoi', version: '1.0.0', values: { 'system.uri': K3S_IMAGE } },
    { type: 'k8s', pack: 'edge-k3s', version: '1.32.4' },
    { type: 'cni', pack: 'cni-calico', version: '3.30.1' },
  ],
  ...over,
});

export const STATIC = (n: number) => ({ ip: `10.77.0.${10 + n}`, gateway: '10.77.0.1', subnetMask: '255.255.255.0' });

export const clusterSpec = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'store-42', profile: { id: 'edge-k3s-lab', version: '1.0.0' }, vip: '10.77.0.100', ntpServers: ['pool.ntp.org'],
  controlPlanePool: { hosts: [{ hostId: 'edge-1', staticIp: STATIC(1) }], allowWorkerCapability: true },
  ...over,
});

/** Defaults, a token `lab` into Default, and its value. */
export async function withToken(p: Palette, over: Record<string, unknown> = {}): Promise<string> {
  await p.ensureDefaults();
  const r = await p.tokens.create({ name: 'lab', project: 'Default', ...over });
  if (!r.ok) throw new Error(r.message);
  return r.token.value;
}

/** Registered hosts edge-1…edge-n (auto registration, distinct MACs); their host keys by host ID. */
export async function registerHosts(p: Palette, token: string, n: number): Promise<Record<string, string>> {
  const keys: Record<string, string> = {};
  for (let i = 1; i <= n; i++) {
    const r = await p.hosts.agentRegister(agentBody({ hostId: `edge-${i}`, token, mac: `52:54:00:a0:00:${String(i).padStart(2, '0')}` }));
    if (!('status' in r) || r.status !== 'registered') throw new Error(`edge-${i}: ${JSON.stringify(r)}`);
    keys[`edge-${i}`] = r.hostKey;
  }
  return keys;
}

/** The host key of a `registered` reply; throws on any other reply. */
export function keyOf(r: unknown): string {
  const reply = r as { status?: string; hostKey?: string };
  if (reply.status !== 'registered' || typeof reply.hostKey !== 'string') throw new Error(`not registered: ${JSON.stringify(r)}`);
  return reply.hostKey;
}
