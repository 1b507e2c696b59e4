// `edge-lab help [command]`: the usage text.
import type { Command } from '../command';

export function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length), 'help'.length);
  return [
    'Usage: edge-lab <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    `  ${'help'.padEnd(width)}  show this text, or \`edge-lab help <command>\` for one command`,
    '',
    'From the repository: npm run edge-lab -- <command> [options]',
    'Errors print one line starting with "edge-lab:"; exit code 1, or 2 for invalid input.',
    'Set EDGE_LAB_DEBUG=1 to see stack traces.',
  ].join('\n');
}

export function commandUsage(c: Command): string {
  return [`Usage: edge-lab ${c.name} ${c.synopsis}`.trimEnd(), '', `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`, ...(c.details ?? [])].join('\n');
}
