// Below the data directory's free-space floor no checkpoint is made (a whole lab's disks would
// not fit), and a jump that needs one is answered 507 with the disk's own words.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { singleNode } from '../pure/scenarios/single-node';
import { jumpReply } from '../slots/jump-reply';
import { CheckpointError } from './errors';
import { PhaseCheckpoints, type PhaseCheckpointDeps } from './phase-checkpoints';

const LOW = '[disk] only 12 MiB free in /data (the floor is 512 MiB). Free space there.';
const dirs: string[] = [];
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

async function checkpoints(low: boolean): Promise<PhaseCheckpoints> {
  const root = await mkdtemp(join(tmpdir(), 'edge-lab-checkpoint-low-'));
  dirs.push(root);
  // Only what a refusal reaches: the key (images' hash) and the cache directory.
  const deps = { root, images: { sha256: { kernel: 'k' } }, now: () => 0, serverUrl: () => '', diskLow: () => (low ? { message: LOW } : null) } as unknown as PhaseCheckpointDeps;
  return new PhaseCheckpoints(deps);
}

describe('checkpoints below the disk floor', () => {
  it('are not made, with the disk\'s words and the scenario named', async () => {
    const cp = await checkpoints(true);
    const err = await cp.image('single-node', 'registration').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointError);
    expect(err).toMatchObject({ code: 'disk-low', message: '[checkpoint] not making the checkpoints of single-node now: only 12 MiB free in /data (the floor is 512 MiB). Free space there.' });
    await expect(cp.build(singleNode)).rejects.toMatchObject({ code: 'disk-low' });
    expect((await cp.status('single-node')).state).toBe('missing');
  });

  it('turn a jump into 507 with that message', async () => {
    const app = new Hono().post('/jump', (c) => jumpReply(c, { restore: () => Promise.reject(new CheckpointError('disk-low', 'not making the checkpoints of single-node now: only 12 MiB free')) }, 'lab-1', 'registration'));
    const res = await app.request('/jump', { method: 'POST' });
    expect(res.status).toBe(507);
    expect(await res.json()).toEqual({ error: 'checkpoint-disk-low', message: '[checkpoint] not making the checkpoints of single-node now: only 12 MiB free' });
  });
});
