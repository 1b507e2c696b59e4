import { execFile, type ExecFileOptions } from 'node:child_process';
import { ImageBuildError } from './errors';

export interface RunResult { stdout: string; stderr: string }

/** Runs a host tool; failures carry the command line and its stderr. */
export function run(cmd: string, args: readonly string[], opts: ExecFileOptions & { input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 << 20, encoding: 'utf8', ...opts }, (err, stdout, stderr) => {
      if (err) {
        const detail = String(stderr || '').trim().split('\n').slice(-5).join('\n');
        reject(new ImageBuildError(`\`${cmd} ${args.join(' ')}\` failed: ${detail || err.message}`, { cause: err }));
      } else resolve({ stdout: String(stdout), stderr: String(stderr) });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs a shell pipeline (only for fixed pipelines written in this folder). */
export function sh(script: string, opts: ExecFileOptions = {}): Promise<RunResult> {
  return run('/bin/sh', ['-c', script], opts);
}
