// `edge-lab test`: the whole test suite. Guest images first (so the VM tests start with
// them ready), then vitest, then a production build of the site (broken links fail it).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from '../command';
import { installSignalHandlers, onShutdown, runChild } from '../processes';
import { prepareImages } from './images';

const stage = (n: number, what: string): void => void process.stderr.write(`\n[test] ${n}/3 ${what}\n`);

/** `npx --no`: run the project's own binary, never fetch a package of that name. */
export const NPX_NO_INSTALL = ['--no', '--'] as const;
export const SITE_ENV = { ...process.env, NO_UPDATE_NOTIFIER: '1' };

export const testCommand: Command = {
  name: 'test',
  summary: 'run the whole test suite: guest images, vitest, site build',
  synopsis: '[<vitest filters>…]',
  details: [
    'Arguments go to `vitest run`: `edge-lab test simulator/cli`; options after `--`: `edge-lab test -- --project unit`.',
    'Both vitest and the site build always run; the exit code is non-zero if either fails.',
  ],
  options: {},
  allowPositionals: true,
  async run(_values, positionals) {
    installSignalHandlers();
    stage(1, 'guest images');
    await prepareImages();

    stage(2, `vitest run${positionals.length ? ` ${positionals.join(' ')}` : ''}`);
    const vitest = await runChild('npx', [...NPX_NO_INSTALL, 'vitest', 'run', ...positionals]);

    stage(3, 'site build (docusaurus build; broken links are errors)');
    const outDir = await mkdtemp(join(tmpdir(), 'edge-lab-site-check-'));
    const removeOutDir = (): Promise<void> => rm(outDir, { recursive: true, force: true });
    const unregister = onShutdown(removeOutDir);
    let site: number;
    try {
      site = await runChild('npx', [...NPX_NO_INSTALL, 'docusaurus', 'build', '--out-dir', outDir], { env: SITE_ENV });
    } finally {
      unregister();
      await removeOutDir();
    }

    const verdict = (code: number): string => (code === 0 ? 'passed' : `FAILED (exit ${code})`);
    process.stderr.write(`\n[test] vitest: ${verdict(vitest)}; site build: ${verdict(site)}\n`);
    return vitest !== 0 ? vitest : site;
  },
};
