// Child processes and shutdown for the long-running commands (`test`, `up`).
//
// Each child runs in its own process group (detached), so stopping it stops everything it
// started too (npx → sh → node …). On SIGINT/SIGTERM the registered cleanups run newest first,
// then the CLI exits; a second signal kills the remaining groups at once.
import { spawn, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The repository root; children run here whatever the caller's working directory. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const STOP_GRACE_MS = 5_000;

type Cleanup = () => Promise<void>;
const cleanups: Cleanup[] = [];
const liveGroups = new Set<number>();
let stopping = false;

/** Registers work to do on SIGINT/SIGTERM; returns a function that unregisters it. */
export function onShutdown(fn: Cleanup): () => void {
  installSignalHandlers();
  cleanups.push(fn);
  return () => {
    const i = cleanups.indexOf(fn);
    if (i >= 0) cleanups.splice(i, 1);
  };
}

let installed = false;
/** From now on SIGINT/SIGTERM run the cleanups and exit (instead of killing the CLI outright). */
export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) {
      for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
      process.exit(128 + signalNumber(signal));
    }
    stopping = true;
    process.stderr.write(`\n[edge-lab] ${signal}: stopping\n`);
    void runCleanups().then(() => process.exit(128 + signalNumber(signal)));
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}

/** True once SIGINT/SIGTERM arrived: children exiting now were stopped on purpose. */
export function shuttingDown(): boolean {
  return stopping;
}

/** Waits for the signal handler to finish the shutdown (it exits the process). */
export function untilExit(): Promise<never> {
  return new Promise<never>(() => {});
}

/** Runs (once) every registered cleanup, newest first; failures are ignored. */
export async function runCleanups(): Promise<void> {
  for (let fn = cleanups.pop(); fn; fn = cleanups.pop()) await Promise.resolve().then(fn).catch(() => {});
}

export interface Child {
  pid: number;
  /** Resolves with the exit code (128 + n when killed by signal n), never rejects. */
  exited: Promise<number>;
  /** SIGTERM to the whole group, SIGKILL after a grace period; resolves when the group is gone. */
  stop(): Promise<void>;
}

/** Starts `cmd args` in the repo root, in its own process group, stopped on shutdown. */
export function startChild(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; stdio?: StdioOptions } = {}): Child {
  // Nothing new starts during a shutdown; the process is about to exit.
  if (stopping) return { pid: -1, exited: untilExit(), stop: async () => {} };
  const child = spawn(cmd, args, {
    cwd: REPO_ROOT,
    env: opts.env ?? process.env,
    stdio: opts.stdio ?? ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const exited = new Promise<number>((resolve) => {
    child.once('error', (err) => {
      process.stderr.write(`edge-lab: could not start \`${cmd}\`: ${err.message}\n`);
      resolve(127);
    });
    child.once('exit', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
  });
  const pid = child.pid;
  if (pid === undefined) return { pid: -1, exited, stop: async () => {} };
  liveGroups.add(pid);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= stopGroup(pid, exited));
  const unregister = onShutdown(stop);
  void exited.then(() => {
    unregister();
    if (!groupAlive(pid)) liveGroups.delete(pid);
  });
  return { pid, exited, stop };
}

/** Runs a command to completion in the foreground; resolves with its exit code. */
export async function runChild(cmd: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<number> {
  return startChild(cmd, args, opts).exited;
}

async function stopGroup(pgid: number, exited: Promise<number>): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  // Wait for the whole group, not just its leader: npx may exit before what it started.
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(50);
  if (groupAlive(pgid)) {
    signalGroup(pgid, 'SIGKILL');
    await Promise.race([exited, sleep(1_000)]);
  }
  liveGroups.delete(pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return (signal && constants.signals[signal]) || 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
