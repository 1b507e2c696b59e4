import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aptCache } from './apt-answers';

let dir: string;
let cacheBefore: string | undefined;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-lab-apt-answers-'));
  cacheBefore = process.env.EDGE_LAB_CACHE;
  process.env.EDGE_LAB_CACHE = dir;
});
afterAll(async () => {
  if (cacheBefore === undefined) delete process.env.EDGE_LAB_CACHE;
  else process.env.EDGE_LAB_CACHE = cacheBefore;
  await rm(dir, { recursive: true, force: true });
});

describe('apt answers', () => {
  it('are asked of apt once, remembered while apt\'s state is unchanged, and asked again when it changes', async () => {
    const state = join(dir, 'status');
    await writeFile(state, 'one');
    const first = await aptCache(['policy', 'busybox-static'], [state]);
    expect(first).toMatch(/busybox-static:\n\s+Installed:/);

    // The remembered answer is what comes back (apt would never print this).
    const file = join(dir, 'apt-answers.json');
    const memo = JSON.parse(await readFile(file, 'utf8')) as { key: string; answers: Record<string, string> };
    memo.answers['policy busybox-static'] = 'remembered';
    await writeFile(file, JSON.stringify(memo));
    expect(await aptCache(['policy', 'busybox-static'], [state])).toBe('remembered');

    await writeFile(state, 'two, after apt-get update');
    expect(await aptCache(['policy', 'busybox-static'], [state])).toBe(first);
  });
});
