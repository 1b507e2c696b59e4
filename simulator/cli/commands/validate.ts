// `edge-lab validate --user-data <file>`: checks a user-data file and builds nothing.
import { readFile } from 'node:fs/promises';
import { formatUserDataIssues, validateUserData, type UserDataIssue } from '../../pure/user-data';
import type { Command, OptionValues } from '../command';
import { CliError, EXIT_INVALID_INPUT, UsageError, describeFsError } from '../errors';

/** A required string option, or a usage error naming it. */
export function requireOption(values: OptionValues, name: string, command: string, what: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`${command} needs --${name} <${what}>`, command);
  return v;
}

/** Reads a user-data file; a missing or unreadable file is one clear line naming the path. */
export async function readUserDataFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read user-data file ${path}: ${describeFsError(err)}`);
  }
}

/** Warnings, one per line, in the same `file:line:column` form as errors. */
export function formatWarnings(warnings: readonly UserDataIssue[]): string {
  return formatUserDataIssues(warnings).split('\n').map((l) => `warning: ${l}`).join('\n');
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a user-data file without building anything',
  synopsis: '--user-data <file>',
  details: ['Prints "Validation successful", or every problem as file:line:column with a fix (exit 2).'],
  options: { 'user-data': { type: 'string' } },
  async run(values) {
    const file = requireOption(values, 'user-data', 'validate', 'file');
    const result = validateUserData(await readUserDataFile(file), { file });
    if (!result.ok) {
      const n = result.issues.length;
      throw new CliError(`${file} is not valid user-data (${n} problem${n === 1 ? '' : 's'}):\n${formatUserDataIssues(result.issues)}`, EXIT_INVALID_INPUT);
    }
    if (result.warnings.length > 0) process.stderr.write(`${formatWarnings(result.warnings)}\n`);
    process.stdout.write('Validation successful\n');
  },
};
