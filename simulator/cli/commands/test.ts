// `edge-lab test`: the whole test suite. Guest images first (so the VM tests start with
// them ready), then a typecheck of the whole tree, then a production build of the site
// (broken links fail it) into a temp directory, then vitest, whose browser tests open that
// build (EDGE_LAB_SITE_BUILD); the build is removed at the end.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SITE_BUILD_ENV } from '../../testing/browser/site-build';
import { LEFTOVER_REPORT_ENV } from '../../testing/leftover-report';
import type { Command } from '../command';
import { installSignalHandlers, onShutdown, runChild } from '../processes';
import { prepareImages } from './images';

const stage = (n: number, what: string): void => void process.stderr.write(`\n[test] ${n}/4 ${what}\n`);

/** `npx --no`: run the project's own binary, never fetch a package of that name. */
export const NPX_NO_INSTALL = ['--no', '--'] as const;
export const SITE_ENV = { ...process.env, NO_UPDATE_NOTIFIER: '1' };

export const testCommand: Command = {
  name: 'test',
  summary: 'run the whole test suite: guest images, typecheck, site build, vitest',
  synopsis: '[<vitest filters>…]',
  details: [
    'Arguments go to `vitest run`: `edge-lab test simulator/cli`; options after `--`: `edge-lab test -- --project unit`.',
    'The site is built first, into a temp directory the browser tests (src/e2e) open; vitest runs even when the build fails (the browser tests then try to build the site themselves).',
    'The exit code is non-zero if the site build or vitest fails.',
  ],
  options: {},
  allowPositionals: true,
  async run(_values, positionals) {
    installSignalHandlers();
    stage(1, 'guest images');
    await prepareImages();

    // vitest strips types without checking them: a test can call an API with a field its type
    // does not have and still pass. tsc checks the whole tree (simulator, src, bench, tests).
    stage(2, 'typecheck (tsc --noEmit)');
    const types = await runChild('npx', [...NPX_NO_INSTALL, 'tsc', '--noEmit', '-p', '.']);
    if (types !== 0) process.stderr.write(`\n[test] the typecheck FAILED (exit ${types}); the other stages run anyway\n`);

    stage(3, 'site build (docusaurus build; broken links are errors; the browser tests open this build)');
    const outDir = await mkdtemp(join(tmpdir(), 'edge-lab-site-check-'));
    const removeOutDir = (): Promise<void> => rm(outDir, { recursive: true, force: true });
    const unregister = onShutdown(removeOutDir);
    try {
      const site = await runChild('npx', [...NPX_NO_INSTALL, 'docusaurus', 'build', '--out-dir', outDir], { env: SITE_ENV });
      if (site !== 0) {
        await removeOutDir();
        process.stderr.write(`\n[test] the site build FAILED (exit ${site}); vitest runs anyway, and its browser tests will try to build the site themselves\n`);
      }

      stage(4, `vitest run${positionals.length ? ` ${positionals.join(' ')}` : ''}${site === 0 ? ` (${SITE_BUILD_ENV}=${outDir}: browser tests open this build)` : ''}`);
      // vitest reports a failing global teardown but still exits 0: the VM suite's leftover check
      // writes what it found to this file, and a non-empty report fails the run here.
      const leftoverReport = join(outDir, 'leftovers.txt');
      const env = { ...process.env, [LEFTOVER_REPORT_ENV]: leftoverReport, ...(site === 0 ? { [SITE_BUILD_ENV]: outDir } : {}) };
      const vitest = await runChild('npx', [...NPX_NO_INSTALL, 'vitest', 'run', ...positionals], { env });
      const leftovers = (await readFile(leftoverReport, 'utf8').catch(() => '')).trim();

      const verdict = (code: number): string => (code === 0 ? 'passed' : `FAILED (exit ${code})`);
      process.stderr.write(`\n[test] typecheck: ${verdict(types)}; site build: ${verdict(site)}; vitest: ${verdict(vitest)}${leftovers ? `; FAILED: ${leftovers}` : ''}\n`);
      return types !== 0 ? types : site !== 0 ? site : vitest !== 0 ? vitest : leftovers ? 1 : 0;
    } finally {
      unregister();
      await removeOutDir();
    }
  },
};
