// A class that starts at a later phase (real VMs): its warm lab is put at the start of Registration
// from the scenario's checkpoints before anyone joins, and the learner who joins gets it there.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLabServer, type LabServer } from '../server/lab-server';

let server: LabServer;
let dataDir = '';
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'edge-lab-test-class-start-'));
  server = await startLabServer({ port: 0, dataDir, checkpointsDir: inject('checkpointsDir') });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a class starting at Registration', () => {
  it('keeps its warm lab at the start of Registration, and hands it to the learner there', async () => {
    const opened = await server.classes.create({ scenario: 'single-node', warm: 1, startPhase: 'registration' });
    const deadline = Date.now() + 5 * 60_000;
    while ((await server.classes.labIds(opened.classId, { warm: true })).length < 1) {
      if (Date.now() > deadline) throw new Error('the warm lab was not made within 5 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    const joined = await server.classes.join(opened.classId, { code: opened.joinCode, learner: 'Ada' });
    const space = (await server.labs.get(joined.labId))!;
    const { view } = space.runtime.view();
    expect(view.phases.map((p) => p.status)).toEqual(['done', 'done', 'active', 'pending']);
    expect((await space.installers()).length).toBe(1);
    const dashboard = await server.classes.dashboard(opened.classId);
    expect(dashboard.labs).toEqual([expect.objectContaining({ labId: joined.labId, learner: 'Ada', phase: 'registration' })]);
  }, 600_000);
});
