// The portal/slot seam on one machine: labs are made, served, restored and released through the
// slot the route table names, and the slot holds a request to the role the portal admitted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabServer } from '../server/lab-server';
import { createMemoryStore } from '../store/memory-store';
import { startFakeLabServer } from '../testing/fake-lab-server';

let server: LabServer;
let close: (() => Promise<void>) | undefined;
beforeAll(async () => { ({ server, close } = await startFakeLabServer()); });
afterAll(async () => { await close?.(); });

describe('the one-machine slot', () => {
  it('provisions a lab, serves it to the role admitted, reports its health, and releases it', async () => {
    const slot = await server.routes.slotForNew();
    expect(slot.address).toBe('local');
    const { labId, position } = await slot.provision({ scenario: 'single-node', role: 'solo' });
    expect(position).toBeNull();
    expect(await server.routes.slotOf(labId)).toBe(slot);
    expect(await slot.list()).toContain(labId);

    const view = await slot.serve(new Request(`http://slot/labs/${labId}/view`), { labId, role: 'solo' });
    expect(view.status).toBe(200);
    expect(await view.json()).toMatchObject({ view: { state: 'modelProfile' } });
    // Building an installer is IT/Ops's step: the slot refuses the App owner the portal admitted.
    const build = await slot.serve(new Request(`http://slot/labs/${labId}/installers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userData: '#cloud-config\n' }) }), { labId, role: 'app-owner' });
    expect(build.status).toBe(403);
    expect(await build.json()).toMatchObject({ error: 'role-forbidden' });

    expect(await slot.health()).toMatchObject({ ok: true, runningHosts: 0, labs: expect.any(Number) });
    expect(await slot.release(labId)).toBe(true);
    expect(await server.routes.slotOf(labId)).toBeNull();
    expect(await server.routes.slotOf('lab-never-made')).toBeNull();
  });

  it('warms a class\'s lab ahead of its reader, hands it over on claim, and reports it without waking it', async () => {
    let n = 0;
    const store = createMemoryStore({ now: () => new Date(), newId: () => `lab-warm-${++n}` });
    const own = await startFakeLabServer({ store });
    try {
      const slot = await own.server.routes.slotForNew();
      const before = await slot.health();
      expect(before.warmBudget).toBeLessThan(before.maxRunningHosts);
      const made = await store.createLab({ scenario: 'single-node', role: 'solo' });
      expect(await slot.warm(made.id)).toBe(true);
      const warm = await slot.status(made.id);
      expect(warm.place).toEqual({ state: 'active', position: null });
      expect(warm.open?.power).toEqual({ 'edge-host-1': 'off' });
      expect(warm.open?.view.phases.map((p) => p.id)).toEqual(['model-profile', 'install-handoff', 'registration', 'cluster-provisioning']);
      await slot.claim(made.id);
      expect(await slot.open(made.id)).toBeNull();
      expect(await slot.release(made.id)).toBe(true);
      expect(await own.server.routes.slotOf(made.id)).toBeNull();
    } finally {
      await own.close();
    }
  });
});
