/**
 * A whole lab at one instant, kept to be put back later: every host (memory
 * and disk when running, disk when off), the simulated Palette's records, the
 * installers built, the VM identities and every statechart. Files go to a
 * content-addressed BlobStore (store/blob-store.ts) so the same disk or
 * memory is kept once; the image itself is small JSON naming them by hash.
 *
 * The network needs nothing of its own: each guest's user network (its
 * connections, its DHCP lease) is part of its memory stream, and the lab LAN
 * hub holds no state.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BootDevice } from '../hosts/boot-order';
import { continueHost, pauseHost, saveMemory } from '../hosts/checkpoint';
import type { LabChartsImage } from '../pure/machines';
import type { BlobStore } from '../store/blob-store';
import { PALETTE_DOC_KINDS } from '../palette/records';
import { INSTALLER_KIND } from '../labs/lab-installers';
import { VM_KIND, type VmRecord } from '../labs/lab-vms';
import type { LabSpace } from '../labs/lab-space';
import { findTokenSpots, tokenValues, type TokenSpot } from './token-rotation';

/** Bumped whenever the image's meaning changes: older images are not used. */
export const LAB_IMAGE_FORMAT = 2;
/** The document kinds an image carries (and replaces when put back). */
export const IMAGE_DOC_KINDS: readonly string[] = [...PALETTE_DOC_KINDS, INSTALLER_KIND];

export interface HostImage {
  name: string;
  /** Hash of the disk file, null when the host never had one. */
  disk: string | null;
  /** Hash of the memory stream; null when the host was off. */
  memory: string | null;
  /** What the running host had booted from. */
  device: BootDevice | null;
  /** Id of the installer whose stick was in the host. */
  usb: string | null;
}

export interface LabImage {
  format: number;
  scenario: string;
  /** Where the lab stood, e.g. the phase whose start this is. */
  label: string;
  savedAt: number;
  vms: VmRecord[];
  hosts: HostImage[];
  docs: { kind: string; id: string; doc: unknown }[];
  /** Installer id → hash of its image file. */
  installerFiles: Record<string, string>;
  charts: LabChartsImage;
  /** Host name → where its disk holds registration token values, so a lab can have its own (token-rotation.ts). */
  tokenSpots: Record<string, TokenSpot[]>;
}

/**
 * Captures the lab. Running hosts are paused together first, so hosts, records and charts are of
 * one instant, and run on once their memory and disks are stored.
 */
export async function captureLab(space: LabSpace, files: BlobStore, o: { label: string; tmpDir: string; now: number }): Promise<LabImage> {
  const store = space.store;
  const running = [...space.vms.values()].filter((h) => h.power === 'on');
  await mkdir(o.tmpDir, { recursive: true });
  const devices = new Map(running.map((h) => [h, h.bootDevice()]));
  for (const h of running) await pauseHost(h);
  try {
    const charts = await space.runtime.chartsImage();
    const docs: LabImage['docs'] = [];
    for (const kind of IMAGE_DOC_KINDS) {
      for (const d of await store.list(space.labId, kind)) docs.push({ kind, id: d.id, doc: d.doc });
    }
    const vms = (await store.list<VmRecord>(space.labId, VM_KIND)).map((d) => d.doc);
    const installerFiles: Record<string, string> = {};
    for (const inst of await space.installers()) installerFiles[inst.id] = await files.putFile(inst.path);
    const hosts: HostImage[] = [];
    const tokenSpots: Record<string, TokenSpot[]> = {};
    const values = tokenValues(docs);
    for (const [name, h] of space.vms) {
      let memory: string | null = null;
      if (h.power === 'on') {
        const file = join(o.tmpDir, `${name}.memory`);
        await saveMemory(h, file);
        memory = await files.putFile(file);
        await rm(file, { force: true });
      }
      const disk = (await exists(h.spec.diskPath)) ? await files.putFile(h.spec.diskPath) : null;
      if (disk) {
        const spots = await findTokenSpots(h.spec.diskPath, values);
        if (spots.length) tokenSpots[name] = spots;
      }
      hosts.push({ name, disk, memory, device: devices.get(h) ?? null, usb: charts.usb[name] ?? null });
    }
    return { format: LAB_IMAGE_FORMAT, scenario: space.scenario.name, label: o.label, savedAt: o.now, vms, hosts, docs, installerFiles, charts, tokenSpots };
  } finally {
    for (const h of running) await continueHost(h).catch(() => {});
    await rm(o.tmpDir, { recursive: true, force: true });
  }
}

/** Every file an image names, for checking that a cached image is whole. */
export function imageHashes(image: LabImage): string[] {
  return [
    ...Object.values(image.installerFiles),
    ...image.hosts.flatMap((h) => [h.disk, h.memory].filter((x): x is string => x !== null)),
  ];
}

/** Records a Palette keeps contact times in: put back "now", the hosts were alive at the instant saved. */
export function freshenDoc(kind: string, doc: unknown, now: number): unknown {
  if (kind !== 'edge-host' || typeof doc !== 'object' || doc === null) return doc;
  const d = { ...(doc as Record<string, unknown>) };
  for (const f of ['lastSeenAt', 'lastHeartbeatAt']) if (typeof d[f] === 'number') d[f] = now;
  return d;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}
