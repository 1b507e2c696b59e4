// `edge-lab images`: builds (or finds in the cache) every guest image and lists them.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { cacheRoot } from '../../images/cache';
import { ensureGuestImages, type GuestImages } from '../../images/guest-images';
import type { Command } from '../command';

/** ensureGuestImages with progress lines on stderr (stdout stays clean for --json). */
export async function prepareImages(): Promise<GuestImages> {
  const started = Date.now();
  const say = (line: string): void => void process.stderr.write(`[images] ${line}\n`);
  say(`checking guest images (cache: ${cacheRoot()})`);
  const images = await ensureGuestImages(say);
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return images;
}

/** Every artefact file with its sha256 (the kernel is hashed here; the rest come from the build). */
export async function artefactList(images: GuestImages): Promise<Array<{ name: string; path: string; sha256: string }>> {
  const paths = [images.vmlinux, images.diskBootInitrd, images.usbBootInitrd, images.floorInitrd, images.edgeOs, images.providerOs, images.providerOsBroken];
  return Promise.all(
    paths.map(async (path) => ({ name: basename(path), path, sha256: images.sha256[basename(path)] ?? (await sha256File(path)) })),
  );
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => h.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export const imagesCommand: Command = {
  name: 'images',
  summary: 'build or reuse the guest images and list them with their sha256',
  synopsis: '[--json]',
  details: ['Images are cached under ~/.cache/edge-lab (override with EDGE_LAB_CACHE) and rebuilt only when their inputs change.'],
  options: { json: { type: 'boolean' } },
  async run(values) {
    const images = await prepareImages();
    const artefacts = await artefactList(images);
    if (values.json) {
      const { key, kernelPackage, installerDir } = images;
      process.stdout.write(`${JSON.stringify({ key, kernelPackage, installerDir, artefacts }, null, 2)}\n`);
      return;
    }
    const width = Math.max(...artefacts.map((a) => a.name.length));
    const lines = [
      `Guest images ${images.key.slice(0, 16)} (kernel package ${images.kernelPackage})`,
      ...artefacts.map((a) => `  ${a.name.padEnd(width)}  ${a.sha256}  ${a.path}`),
      `  installer scripts: ${images.installerDir}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
