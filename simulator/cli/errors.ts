// Errors the CLI reports as one line (`edge-lab: …`) with a chosen exit code, and the
// translation of any other thrown value into such a line.
import { UserDataInvalidError } from '../images/forge';
import { ImageBuildError } from '../images/errors';

/** Exit codes: 1 for failures, 2 for invalid input (bad arguments, invalid user-data). */
export const EXIT_FAILURE = 1;
export const EXIT_INVALID_INPUT = 2;

/** A failure the user can act on; its message is printed as is, without a stack trace. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(message: string, readonly exitCode: number = EXIT_FAILURE, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad command-line arguments. */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string, command?: string) {
    super(`${message} (see \`edge-lab help${command ? ` ${command}` : ''}\`)`, EXIT_INVALID_INPUT);
  }
}

/** A readable reason for a failed file access, e.g. "no such file". */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    default: return err instanceof Error ? err.message : String(err);
  }
}

/** What to print for a thrown value, and the exit code. Stack traces only with EDGE_LAB_DEBUG=1. */
export function reportError(err: unknown): { text: string; exitCode: number } {
  const debug = process.env.EDGE_LAB_DEBUG === '1';
  const stack = debug && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  if (err instanceof UserDataInvalidError) return { text: `edge-lab: ${err.message}${stack}`, exitCode: EXIT_INVALID_INPUT };
  if (err instanceof CliError) return { text: `edge-lab: ${err.message}${stack}`, exitCode: err.exitCode };
  if (err instanceof ImageBuildError) return { text: `edge-lab: ${err.message}${stack}`, exitCode: EXIT_FAILURE };
  const message = err instanceof Error ? err.message : String(err);
  const hint = debug ? '' : ' (set EDGE_LAB_DEBUG=1 for details)';
  return { text: `edge-lab: ${message}${hint}${stack}`, exitCode: EXIT_FAILURE };
}
