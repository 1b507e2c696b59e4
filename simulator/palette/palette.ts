// One lab's simulated Palette, persisted through LabStore: projects, registration tokens,
// cluster profiles, edge hosts (agent and admin side), clusters and the lab registry. State
// lives only in the store, so a restarted process, or another process on the same database,
// sees the same Palette; only heartbeat long polls wait in memory. Public shapes: types.ts;
// lab events: events.ts; HTTP: http/page-http.ts (pages) and http/agent-http.ts (edge agents).
import { agentApi } from './agent';
import { agentUpgradeApi } from './agent-upgrade';
import { createAssignmentWatch } from './assignment-watch';
import { clustersApi } from './clusters';
import { poolsApi } from './cluster-pools';
import { upgradeApi } from './cluster-upgrade';
import { createCtx } from './context';
import { PaletteError } from './errors';
import { healthSweep } from './health';
import { hostsAdmin } from './hosts';
import { profilesApi } from './profiles';
import { projectsApi } from './projects';
import { createRegistry } from './registry';
import { registryFaultsApi } from './registry-faults';
import { tokensApi } from './tokens';
import type { Palette, PaletteDeps } from './types';
import { createWaiters } from './waiters';

export type * from './types';
export type { PaletteEventPayloads, PaletteEventType } from './events';
export { PALETTE_EVENT_TYPES } from './events';
export { PaletteError } from './errors';

const DEFAULT_CROSS_PROCESS_POLL_MS = 2000;

export function createPalette(deps: PaletteDeps): Palette {
  if (!deps.store || typeof deps.labId !== 'string' || deps.labId === '') {
    throw new PaletteError('invalid-deps', 'createPalette needs a store and a non-empty labId');
  }
  const registry = createRegistry(deps.registry);
  const waiters = createWaiters();
  const watch = createAssignmentWatch(deps.store, deps.labId, waiters, deps.crossProcessPollMs ?? DEFAULT_CROSS_PROCESS_POLL_MS);
  const ctx = createCtx(deps, waiters);
  const { ensureDefaults, ...projects } = projectsApi(ctx);
  return {
    labId: deps.labId,
    ensureDefaults,
    projects,
    tokens: tokensApi(ctx),
    profiles: profilesApi(ctx),
    hosts: { ...hostsAdmin(ctx), ...agentApi(ctx, registry, watch), ...agentUpgradeApi(ctx) },
    clusters: { ...clustersApi(ctx, registry), ...poolsApi(ctx), ...upgradeApi(ctx, registry) },
    registry: { blob: registry.blob, blobForImage: registry.blobForImage, ...registryFaultsApi(ctx, deps.registry) },
    sweepHealth: healthSweep(ctx),
    close() {
      watch.stop();
      waiters.close();
    },
  };
}
