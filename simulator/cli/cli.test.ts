// Runs the real CLI (through npx tsx, as a user would) on the example user-data files.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { REPO_ROOT } from './processes';

interface Run { code: number; stdout: string; stderr: string }

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile('npx', ['--no', '--', 'tsx', 'simulator/cli/main.ts', ...args], { cwd: REPO_ROOT, env: { ...process.env, EDGE_LAB_DEBUG: '' } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const GOOD = 'simulator/examples/site.yaml';
const BAD = 'simulator/examples/bad-site.yaml';
const TIMEOUT = 60_000;

// Each case starts Node twice (npx, tsx); running them side by side keeps the file quick.
describe.concurrent('edge-lab CLI', () => {
  it('validates the example site', { timeout: TIMEOUT }, async ({ expect }) => {
    const r = await cli('validate', '--user-data', GOOD);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Validation successful');
    expect(r.code).toBe(0);
  });

  it('reports each mistake in the bad example with file:line, a fix and no stack trace', { timeout: TIMEOUT }, async ({ expect }) => {
    const r = await cli('validate', '--user-data', BAD);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('Validation successful');
    expect(r.stderr).toMatch(/^edge-lab: /);
    expect(r.stderr).toContain(`${BAD}:5:22`);
    expect(r.stderr).toContain('paletteEndpoint: api.palette.lab');
    expect(r.stderr).toContain(`${BAD}:10:3`);
    expect(r.stderr).toContain('did you mean `reboot`?');
    expect(r.stderr).not.toContain('    at ');
  });

  it('refuses to forge from a file that is not there, in one line naming it', { timeout: TIMEOUT }, async ({ expect }) => {
    const missing = join(REPO_ROOT, 'simulator/examples/no-such-site.yaml');
    const r = await cli('forge', '--user-data', missing, '--out', join(REPO_ROOT, 'never-written.img'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([`edge-lab: cannot read user-data file ${missing}: no such file`]);
  });

  it('answers an unknown option with a usage error (exit 2)', { timeout: TIMEOUT }, async ({ expect }) => {
    const r = await cli('validate', '--user-date', GOOD);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("Unknown option '--user-date'");
  });
});
