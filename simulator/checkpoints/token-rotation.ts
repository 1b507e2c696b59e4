/**
 * Each lab its own registration tokens. A lab image is put into many labs (every warm lab of a
 * class, every jump), so without this they would all share the tokens of the lab the image was
 * captured from, and a learner could read a neighbour's token value off their own page. When an
 * image is put into a lab, every token gets a fresh value, and everything of the image that holds
 * the old value gets the new one, so the lab stays consistent and the reader's steps still work:
 *
 *   - Palette's records and the installers' user data (any document naming the value);
 *   - the installers: the new value written over the old one on the stick (patchInstallers), which
 *     gives exactly the stick building the new user data would; its id follows its new hash, and
 *     every mention of the old id in the image is updated;
 *   - the hosts' disks: the installer copied the user data into COS_OEM, so the value sits in a
 *     file there. Where, was found when the image was captured (`findTokenSpots`); the new value
 *     (the same length) is written over it in the lab's own overlay. ext4 keeps no checksum of
 *     file data, so the files simply read the new value.
 *
 * A host running in the image (its memory saved) is already registered and uses its host key,
 * not the token; the value in its memory is left as it is.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DISK_LAYOUT, volumeId } from '../images/forge';
import { installerPath, INSTALLER_KIND, type InstallerRecord } from '../labs/lab-installers';
import { newTokenValue } from '../palette/tokens';
import { CheckpointError } from './errors';

const run = promisify(execFile);
/** The disk region searched: the partition table and COS_OEM, which the installer puts first. */
const SEARCHED_BYTES = (1 + DISK_LAYOUT.oemMb) * 1024 * 1024;

/** Where a token's value sits in a disk's first SEARCHED_BYTES, as the guest sees them. */
export interface TokenSpot { value: string; offsets: number[] }

/** The values of the token records among an image's documents. */
export function tokenValues(docs: readonly { kind: string; doc: unknown }[]): string[] {
  return docs.filter((d) => d.kind === 'token').map((d) => (d.doc as { value?: unknown }).value).filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Every offset of each value in the disk's partition table and COS_OEM. */
export async function findTokenSpots(diskPath: string, values: readonly string[]): Promise<TokenSpot[]> {
  if (values.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'edge-lab-token-scan-'));
  try {
    const raw = join(dir, 'head.raw');
    await run('qemu-img', ['dd', '-f', 'qcow2', '-O', 'raw', 'bs=1M', `count=${SEARCHED_BYTES / (1024 * 1024)}`, `if=${diskPath}`, `of=${raw}`]);
    const bytes = await readFile(raw);
    return values.map((value) => ({ value, offsets: offsetsOf(bytes, Buffer.from(value, 'utf8')) })).filter((s) => s.offsets.length > 0);
  } catch (err) {
    throw new CheckpointError('io', `cannot read the start of ${diskPath} to find its registration tokens: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function offsetsOf(haystack: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) out.push(at);
  return out;
}

/** A fresh value for each of these, the same length (newTokenValue's). */
export function newValues(values: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const v of values) {
    const fresh = newTokenValue();
    if (fresh.length !== v.length) throw new CheckpointError('io', `a new token value has ${fresh.length} characters, the image's has ${v.length}; they must match to be written over it on the disks`);
    out.set(v, fresh);
  }
  return out;
}

/** `value` (any JSON) with every string occurrence of each key replaced by its value. */
export function replaceEverywhere<T>(value: T, swaps: ReadonlyMap<string, string>): T {
  if (swaps.size === 0) return value;
  let text = JSON.stringify(value);
  for (const [from, to] of swaps) text = text.split(from).join(to);
  return JSON.parse(text) as T;
}

/** Writes each spot's new value over its old one, in the lab's own overlay of the image's disk. */
export async function patchDisk(diskPath: string, spots: readonly TokenSpot[], fresh: ReadonlyMap<string, string>): Promise<void> {
  const writes = spots.flatMap((s) => s.offsets.map((offset) => ({ offset, value: fresh.get(s.value) })));
  if (writes.length === 0) return;
  const dir = await mkdtemp(join(tmpdir(), 'edge-lab-token-patch-'));
  try {
    const args: string[] = ['-f', 'qcow2'];
    for (const [i, w] of writes.entries()) {
      if (w.value === undefined) throw new CheckpointError('io', `no new value for a token found on ${diskPath}`);
      const file = join(dir, `value-${i}`);
      await writeFile(file, w.value, 'utf8');
      args.push('-c', `write -q -s ${file} ${w.offset} ${Buffer.byteLength(w.value)}`);
    }
    await run('qemu-io', [...args, diskPath]);
  } catch (err) {
    if (err instanceof CheckpointError) throw err;
    throw new CheckpointError('io', `cannot write the lab's own registration token onto ${diskPath}: ${(err as Error).message}`, { cause: err });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Copies into the lab's directory each installer of the image whose user data held an old value,
 * with the new values written over the old ones: in its user-data files, in manifest.json (which
 * lists their hashes) and in the FAT volume serial (derived from those hashes). Every length stays
 * the same, and the result is byte for byte the stick that building the new user data gives (the
 * VM test checks this), at a fraction of the cost. The record returned carries the new id, hash,
 * files and user data; ids of installers left as they were are not in the map.
 */
export async function patchInstallers(o: {
  dir: string; docs: readonly { kind: string; id: string; doc: unknown }[]; fresh: ReadonlyMap<string, string>; pathOf: (id: string) => string;
}): Promise<Map<string, InstallerRecord>> {
  const out = new Map<string, InstallerRecord>();
  for (const d of o.docs) {
    if (d.kind !== INSTALLER_KIND) continue;
    const rec = d.doc as InstallerRecord;
    const userData = replaceEverywhere(rec.userData, o.fresh);
    if (userData === rec.userData) continue;
    const tmp = join(o.dir, 'installers', `.patching-${rec.id}.img`);
    try {
      const stick = await readFile(o.pathOf(rec.id));
      for (const [from, to] of o.fresh) writeOver(stick, from, to);
      await writeFile(tmp, stick);
      const files = { ...rec.files };
      for (const name of Object.keys(files).filter((n) => n.startsWith('user-data'))) {
        const { stdout } = await run('mtype', ['-i', tmp, `::${name}`], { encoding: 'buffer', env: { ...process.env, MTOOLS_SKIP_CHECK: '1' }, maxBuffer: 16 * 1024 * 1024 });
        const hash = createHash('sha256').update(stdout).digest('hex');
        if (hash !== files[name]) writeOver(stick, files[name]!, hash);
        files[name] = hash;
      }
      writeSerial(stick, volumeId(rec.files), volumeId(files));
      await writeFile(tmp, stick);
      const sha256 = createHash('sha256').update(stick).digest('hex');
      const id = `installer-${sha256.slice(0, 12)}`;
      await rename(tmp, installerPath(o.dir, id));
      out.set(rec.id, { ...rec, id, sha256, size: stick.length, files, userData });
    } catch (err) {
      throw new CheckpointError('io', `cannot give installer ${rec.id} the lab's own token: ${(err as Error).message}`, { cause: err });
    } finally {
      await rm(tmp, { force: true });
    }
  }
  return out;
}

function writeOver(buf: Buffer, from: string, to: string): void {
  const f = Buffer.from(from, 'utf8');
  for (const at of offsetsOf(buf, f)) buf.write(to, at, 'utf8');
}

/** The FAT volume serial, little-endian in the boot sector (0x27 on FAT12/16, 0x43 on FAT32). */
function writeSerial(stick: Buffer, oldHex: string, newHex: string): void {
  const old = Buffer.from(oldHex, 'hex').reverse();
  for (const at of [0x27, 0x43]) {
    if (stick.subarray(at, at + 4).equals(old)) {
      Buffer.from(newHex, 'hex').reverse().copy(stick, at);
      return;
    }
  }
  throw new Error(`the stick's boot sector does not hold the volume serial ${oldHex}`);
}
