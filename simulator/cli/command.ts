// The shape every `edge-lab` command module exports; main.ts parses the arguments.
import type { ParseArgsConfig } from 'node:util';

export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Argument synopsis, e.g. `--user-data <file> --out <img> [--json]`. */
  synopsis: string;
  /** Extra help lines shown by `edge-lab help <command>`. */
  details?: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  /** Resolves with the exit code (0 when omitted). */
  run(values: OptionValues, positionals: string[]): Promise<number | void>;
}
