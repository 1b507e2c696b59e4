import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOperatorCredential, OPERATOR_ENV, OPERATOR_FILE } from './operator';

const dirs: string[] = [];
const fresh = async () => { const d = await mkdtemp(join(tmpdir(), 'edge-lab-test-operator-')); dirs.push(d); return d; };
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }); });

describe('the operator credential', () => {
  it('is made once in the data directory, readable by its owner only, and the same at the next start', async () => {
    const dir = await fresh();
    const first = await loadOperatorCredential(dir, { env: {} });
    expect(first.source).toBe('file');
    expect(first.secret.length).toBeGreaterThanOrEqual(16);
    const file = join(dir, OPERATOR_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.secret);
    const again = await loadOperatorCredential(dir, { env: {} });
    expect(again.secret).toBe(first.secret);
    expect([again.check(first.secret), again.check(undefined), again.check(''), again.check(`${first.secret}x`)]).toEqual(['ok', 'missing', 'missing', 'wrong']);
  });

  it('prefers the option, then the environment; refuses one too short to be a secret', async () => {
    const dir = await fresh();
    await writeFile(join(dir, OPERATOR_FILE), 'the-one-in-the-file-xxxx\n');
    expect((await loadOperatorCredential(dir, { env: { [OPERATOR_ENV]: 'from-the-environment-xx' } })).source).toBe('env');
    const given = await loadOperatorCredential(dir, { given: 'given-to-startLabServer', env: { [OPERATOR_ENV]: 'from-the-environment-xx' } });
    expect(given).toMatchObject({ source: 'option', secret: 'given-to-startLabServer' });
    expect((await loadOperatorCredential(dir, { env: {} })).secret).toBe('the-one-in-the-file-xxxx');
    await expect(loadOperatorCredential(dir, { env: { [OPERATOR_ENV]: 'short' } })).rejects.toThrow(/^\[lab-server\] the operator secret from EDGE_LAB_OPERATOR_SECRET is 5 characters long; use at least 16/);
  });
});
