/**
 * Puts a lab image (lab-image.ts) into a lab whose space is closed: its hosts'
 * disks become thin overlays on the image's disks (instant: the image's files
 * are read-only, and their local paths stay valid while they are stored), its
 * installers are linked in, and in one store transaction its Palette records,
 * installers and VM identities are replaced and a
 * `lab.checkpoint-restored` entry carrying the image's charts is appended. The
 * running hosts' memory is resumed by the space when it opens (ResumePlan).
 * The lab gets registration tokens of its own on the way (token-rotation.ts).
 */
import { execFile } from 'node:child_process';
import { copyFile, link, mkdir, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { BlobStore } from '../store/blob-store';
import type { LabStore } from '../store/types';
import { diskPathOf, VM_KIND } from '../labs/lab-vms';
import type { ResumePlan } from '../labs/lab-space';
import { CheckpointError } from './errors';
import { INSTALLER_KIND, installerPath } from '../labs/lab-installers';
import { newValues, patchDisk, patchInstallers, replaceEverywhere, tokenValues } from './token-rotation';
import { freshenDoc, IMAGE_DOC_KINDS, imageHashes, type LabImage } from './lab-image';

const run = promisify(execFile);

export async function putImage(o: { labId: string; dir: string; store: LabStore; files: BlobStore; image: LabImage; now: number }): Promise<ResumePlan> {
  const pathOf = await localPaths(o.files, o.image);
  await rm(`${o.dir}/installers`, { recursive: true, force: true });
  await mkdir(`${o.dir}/installers`, { recursive: true });
  await mkdir(`${o.dir}/disks`, { recursive: true });
  // This lab's own token values, and its installers built with them.
  const fresh = newValues(tokenValues(o.image.docs));
  const reforged = await patchInstallers({ dir: o.dir, docs: o.image.docs, fresh, pathOf: (id) => pathOf(o.image.installerFiles[id] ?? '') });
  const swaps = new Map([...fresh, ...[...reforged].map(([old, rec]) => [old, rec.id] as const)]);
  const image: LabImage = {
    ...o.image,
    docs: o.image.docs.map((d) => {
      const rec = d.kind === INSTALLER_KIND ? reforged.get(d.id) : undefined;
      return rec ? { kind: d.kind, id: rec.id, doc: rec } : replaceEverywhere(d, swaps);
    }),
    charts: replaceEverywhere(o.image.charts, swaps),
    hosts: o.image.hosts.map((h) => ({ ...h, usb: h.usb === null ? null : (swaps.get(h.usb) ?? h.usb) })),
  };
  for (const [id, hash] of Object.entries(image.installerFiles)) {
    if (reforged.has(id)) continue;
    const to = installerPath(o.dir, id);
    await link(pathOf(hash), to).catch(() => copyFile(pathOf(hash), to));
  }
  await Promise.all(image.hosts.map(async (h) => {
    const disk = diskPathOf(o.dir, h.name);
    await rm(disk, { force: true });
    if (!h.disk) return;
    try {
      await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', pathOf(h.disk), disk]);
    } catch (err) {
      throw new CheckpointError('io', `cannot make ${h.name}'s disk from the checkpoint: ${(err as Error).message}`, { cause: err });
    }
    await patchDisk(disk, image.tokenSpots[h.name] ?? [], fresh);
  }));
  await o.store.transaction(async (tx) => {
    for (const kind of [...IMAGE_DOC_KINDS, VM_KIND]) {
      for (const d of await tx.list(o.labId, kind)) await tx.remove(o.labId, kind, d.id);
    }
    for (const d of image.docs) await tx.put(o.labId, d.kind, d.id, freshenDoc(d.kind, d.doc, o.now));
    for (const v of image.vms) await tx.put(o.labId, VM_KIND, v.name, v);
    await tx.append(o.labId, { type: 'lab.checkpoint-restored', payload: { phase: image.label, charts: image.charts } });
  });
  const plan: ResumePlan = {};
  for (const h of image.hosts) {
    if (h.memory && h.device) plan[h.name] = { memory: pathOf(h.memory), device: h.device, usb: h.usb };
  }
  return plan;
}

/** The local path of each file the image names, by hash (a remote store fetches them here). */
async function localPaths(files: BlobStore, image: LabImage): Promise<(hash: string) => string> {
  const hashes = [...new Set(imageHashes(image))];
  let paths: string[];
  try {
    paths = await Promise.all(hashes.map((h) => files.localPath(h)));
  } catch (err) {
    throw new CheckpointError('io', `cannot get the checkpoint's files: ${(err as Error).message}`, { cause: err });
  }
  const byHash = new Map(hashes.map((h, i) => [h, paths[i]!]));
  return (hash) => {
    const path = byHash.get(hash);
    if (path === undefined) throw new CheckpointError('not-found', `the checkpoint names no file ${JSON.stringify(hash)}`);
    return path;
  };
}
