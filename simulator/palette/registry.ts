// The lab registry: provider images served as blobs from files on disk. The lab has one real
// provider OS image per repository, so every tag of a repository resolves to that repository's
// blob (see RegistryBlob in types.ts).
import { labRepositoryOf } from '../pure/palette';
import { PaletteError } from './errors';
import type { Palette, RegistryBlob } from './types';

const SHA256 = /^[0-9a-f]{64}$/;
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** Checks the blobs once, at startup: a bad entry is a wiring mistake. */
export function createRegistry(blobs: readonly RegistryBlob[]): Pick<Palette['registry'], 'blob' | 'blobForImage'> & { forRepository(repository: string): RegistryBlob | undefined } {
  const seen = new Set<string>();
  for (const b of blobs) {
    if (!REPOSITORY.test(b.repository)) throw new PaletteError('invalid-deps', `registry blob repository ${JSON.stringify(b.repository)} is not a repository name like edge-lab-provider`);
    if (!SHA256.test(b.sha256)) throw new PaletteError('invalid-deps', `registry blob of ${b.repository}: sha256 must be 64 lowercase hex digits, got ${JSON.stringify(b.sha256)}`);
    if (!Number.isSafeInteger(b.size) || b.size < 0) throw new PaletteError('invalid-deps', `registry blob of ${b.repository}: size must be a whole number of bytes`);
    if (typeof b.path !== 'string' || b.path === '') throw new PaletteError('invalid-deps', `registry blob of ${b.repository}: path is empty`);
    if (seen.has(b.repository)) throw new PaletteError('invalid-deps', `the registry has two blobs for repository ${b.repository}; the lab serves one image per repository`);
    seen.add(b.repository);
  }
  const list = blobs.map((b) => ({ ...b }));
  const forRepository = (repository: string) => list.find((b) => b.repository === repository);
  return {
    forRepository,
    blob: (repository, sha256) => list.find((b) => b.repository === repository && b.sha256 === sha256.toLowerCase()),
    blobForImage(imageName) {
      const repository = labRepositoryOf(imageName);
      return repository === undefined ? undefined : forRepository(repository);
    },
  };
}
