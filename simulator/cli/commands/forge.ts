// `edge-lab forge --user-data <file> --out <img>`: builds an Edge Installer USB image.
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { forgeInstaller, UserDataInvalidError } from '../../images/forge';
import { validateUserData } from '../../pure/user-data';
import type { Command } from '../command';
import { CliError, describeFsError } from '../errors';
import { prepareImages } from './images';
import { formatWarnings, readUserDataFile, requireOption } from './validate';

export const forgeCommand: Command = {
  name: 'forge',
  summary: 'build an Edge Installer USB image from a user-data file',
  synopsis: '--user-data <file> --out <img> [--json]',
  details: [
    'Validates the user-data first; nothing is built when it is invalid (exit 2).',
    'Prints the image path, size and sha256, and every file on the stick with its sha256.',
  ],
  options: { 'user-data': { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
  async run(values) {
    const file = requireOption(values, 'user-data', 'forge', 'file');
    const out = resolve(requireOption(values, 'out', 'forge', 'img'));
    const text = await readUserDataFile(file);
    await requireDirectory(dirname(out));
    // Validate before the (possibly long) image build, so a typo is reported at once.
    const checked = validateUserData(text, { file });
    if (!checked.ok) throw new UserDataInvalidError(checked.issues);
    const images = await prepareImages();
    const result = await forgeInstaller({ userDataText: text, userDataFile: file, out, images });

    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return;
    }
    const names = Object.keys(result.files);
    const width = Math.max(0, ...names.map((n) => n.length));
    const lines = [
      `Installer image  ${result.out}`,
      `size             ${formatSize(result.bytes)}`,
      `sha256           ${result.sha256}`,
      'Files on the stick:',
      ...names.map((n) => `  ${n.padEnd(width)}  ${result.files[n]}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (result.warnings.length > 0) process.stderr.write(`${formatWarnings(result.warnings)}\n`);
  },
};

async function requireDirectory(dir: string): Promise<void> {
  const st = await stat(dir).catch((err: unknown) => {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'the directory does not exist' : describeFsError(err);
    throw new CliError(`cannot write the image into ${dir}: ${why}`);
  });
  if (!st.isDirectory()) throw new CliError(`cannot write the image into ${dir}: not a directory`);
}

function formatSize(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB (${bytes} bytes)`;
}
