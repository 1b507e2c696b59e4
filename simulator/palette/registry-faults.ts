// The registry drill (docs/troubleshooting.md, "a provider image that fails its checksum"): the lab
// registry serves a damaged copy of a repository's provider image (the same size, one byte changed,
// as a corrupt layer in a registry or a cache in the way would be) until someone pushes the image
// again. The fault is a document in the lab's store, so it outlives a restarted simulator and a lab
// reset removes it with the rest of Palette. The damage itself is applied where the blob is served
// (http/agent-http.ts, damagedCopy).
import { error } from '../pure/palette/issues';
import type { RegistryImage } from '../pure/palette/views';
import { fail, notFound, type Ctx } from './context';
import type { Failure, RegistryBlob } from './types';

export interface RegistryFaults {
  /** Every provider image the registry holds, with whether it serves it damaged now. */
  images(): Promise<RegistryImage[]>;
  isDamaged(repository: string): Promise<boolean>;
  /** Breaks it: from now on the registry serves a damaged copy. Refused if it already does. */
  damage(repository: string): Promise<{ ok: true; image: RegistryImage } | Failure>;
  /** The fix, as IT/Ops would push the image again: the registry serves it whole. Refused if it already does. */
  pushAgain(repository: string): Promise<{ ok: true; image: RegistryImage } | Failure>;
}

export function registryFaultsApi(ctx: Ctx, blobs: readonly RegistryBlob[]): RegistryFaults {
  const view = (b: RegistryBlob, damagedAt: number | null): RegistryImage => ({
    repository: b.repository, digest: `sha256:${b.sha256}`, size: b.size, damaged: damagedAt !== null, damagedAt,
  });
  const blobOf = (repository: string): RegistryBlob | Failure =>
    blobs.find((b) => b.repository === repository)
      ?? notFound('repository', `provider image repository ${repository} in the lab registry`, `use one GET /v1/registry lists: ${blobs.map((b) => b.repository).join(', ') || 'none'}`);
  return {
    async images() {
      const faults = new Map((await ctx.rec.list('registry-fault')).map((f) => [f.repository, f.damagedAt]));
      return blobs.map((b) => view(b, faults.get(b.repository) ?? null));
    },
    async isDamaged(repository) {
      return (await ctx.rec.get('registry-fault', repository)) !== undefined;
    },
    async damage(repository) {
      const b = blobOf(repository);
      if ('ok' in b) return b;
      return ctx.write(async (tx) => {
        if (await tx.rec.get('registry-fault', repository)) {
          return fail('conflict', [error('repository', 'already-damaged', `the registry already serves a damaged copy of ${repository}`, 'push the image again to repair it')]);
        }
        const damagedAt = ctx.deps.now();
        await tx.rec.put('registry-fault', repository, { repository, damagedAt });
        await tx.emit('palette.registry.damaged', { repository });
        return { ok: true as const, image: view(b, damagedAt) };
      });
    },
    async pushAgain(repository) {
      const b = blobOf(repository);
      if ('ok' in b) return b;
      return ctx.write(async (tx) => {
        if (!(await tx.rec.remove('registry-fault', repository))) {
          return fail('conflict', [error('repository', 'not-damaged', `the registry serves ${repository} whole already; nothing to push`, 'damage it first (the drill), or leave it')]);
        }
        await tx.emit('palette.registry.pushed', { repository });
        return { ok: true as const, image: view(b, null) };
      });
    },
  };
}
