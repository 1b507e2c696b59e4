// The `edge-lab` command: picks the command, parses its options (node:util parseArgs),
// runs it, and turns any failure into one `edge-lab: …` line and an exit code.
import { parseArgs } from 'node:util';
import type { Command, OptionValues } from './command';
import { chaosCommand } from './commands/chaos';
import { forgeCommand } from './commands/forge';
import { commandUsage, usage } from './commands/help';
import { imagesCommand } from './commands/images';
import { scenarioCommand } from './commands/scenario';
import { testCommand } from './commands/test';
import { upCommand } from './commands/up';
import { validateCommand } from './commands/validate';
import { EXIT_INVALID_INPUT, UsageError, reportError } from './errors';
import { runCleanups, shuttingDown, untilExit } from './processes';

const COMMANDS: readonly Command[] = [upCommand, testCommand, scenarioCommand, forgeCommand, validateCommand, imagesCommand, chaosCommand];

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const target = name === 'help' && rest[0] !== undefined ? findCommand(rest[0]) : undefined;
    if (name === 'help' && rest[0] !== undefined && !target) throw new UsageError(`unknown command "${rest[0]}"`);
    process.stdout.write(`${target ? commandUsage(target) : usage(COMMANDS)}\n`);
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    process.stderr.write(`edge-lab: unknown command "${name}"\n\n${usage(COMMANDS)}\n`);
    return EXIT_INVALID_INPUT;
  }
  const { values, positionals } = parseCommandArgs(command, rest);
  if (values.help === true) {
    process.stdout.write(`${commandUsage(command)}\n`);
    return 0;
  }
  return (await command.run(values, positionals)) ?? 0;
}

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}

function parseCommandArgs(command: Command, args: string[]): { values: OptionValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    });
    // No option is declared `multiple`, so every value is a string or a boolean.
    return { values: values as OptionValues, positionals };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!code.startsWith('ERR_PARSE_ARGS')) throw err;
    // Node's messages go on with advice about `--`; the first sentence is the useful part.
    const first = (err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
    throw new UsageError(`${command.name}: ${first}`, command.name);
  }
}

// `edge-lab images --json | head` closes stdout early: that is not an error worth a trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

let exitCode: number;
try {
  exitCode = await main(process.argv.slice(2));
} catch (err) {
  // After SIGINT/SIGTERM, failures of the children we stopped are expected: stay quiet and
  // let the signal handler finish stopping everything and exit.
  if (shuttingDown()) await untilExit();
  const { text, exitCode: code } = reportError(err);
  process.stderr.write(`${text}\n`);
  exitCode = code;
}
if (shuttingDown()) await untilExit();
await runCleanups();
process.exit(exitCode);
