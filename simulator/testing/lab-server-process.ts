/**
 * Starts simulator/testing/lab-server-main.ts as a child process and kills it: the way to test
 * what a real crash of the lab server does (its QEMU processes die with it, by pdeathsig).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('./lab-server-main.ts', import.meta.url));

export interface LabServerProcess {
  url: string;
  pid: number;
  /** SIGKILL, then resolves once the process is reaped. */
  kill(): Promise<void>;
  /** SIGTERM (a clean close), then resolves once it exited. */
  stop(): Promise<void>;
}

export interface LabServerProcessOptions {
  timeoutMs?: number;
  /** Free space (MiB) below which the server calls its disk low, and how often it looks (ms). */
  disk?: { floorMb: number; intervalMs: number };
}

export async function startLabServerProcess(dataDir: string, port: number, o: LabServerProcessOptions = {}): Promise<LabServerProcess> {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const disk = o.disk ? [String(o.disk.floorMb), String(o.disk.intervalMs)] : [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', MAIN, dataDir, String(port), ...disk], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`[test] the lab server did not start within ${timeoutMs / 1000} s: ${stderr}`)); }, timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]!); }
    });
    void exited.then(() => { clearTimeout(timer); reject(new Error(`[test] the lab server exited while starting: ${stderr}`)); });
  });
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { url, pid: child.pid!, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
