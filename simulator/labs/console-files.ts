/**
 * Each host's console tail kept on disk, so a page that comes back after a
 * simulator restart still sees what the host printed. Written at most every
 * `everyMs` while output flows, and once more on close; read once at open.
 * Format: the stream offset of the first byte on line 1, then the bytes.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConsoleBuffer } from '../hosts/console-buffer';

export const consoleFile = (dir: string, vm: string): string => join(dir, 'consoles', `${vm}.log`);

export async function restoreConsole(buffer: ConsoleBuffer, file: string): Promise<void> {
  const raw = await readFile(file).catch(() => null);
  if (!raw) return;
  const nl = raw.indexOf(0x0a);
  const start = Number(raw.subarray(0, nl).toString('ascii'));
  if (nl < 0 || !Number.isInteger(start) || start < 0) return; // a damaged file: start afresh rather than fail the lab
  buffer.restore(new Uint8Array(raw.subarray(nl + 1)), start);
}

/** Keeps `file` following `buffer`; the returned function stops it and writes a last time. */
export function persistConsole(buffer: ConsoleBuffer, file: string, everyMs = 2_000): () => Promise<void> {
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> = Promise.resolve();
  const write = (): Promise<void> => {
    timer = null;
    writing = writing.then(async () => {
      await mkdir(join(file, '..'), { recursive: true });
      const tmp = `${file}.tmp`;
      await writeFile(tmp, Buffer.concat([Buffer.from(`${buffer.start}\n`, 'ascii'), Buffer.from(buffer.history())]));
      await rename(tmp, file);
    }).catch(() => {});
    return writing;
  };
  const off = buffer.subscribe(() => {
    timer ??= setTimeout(() => void write(), everyMs);
  });
  return async () => {
    off();
    if (timer) { clearTimeout(timer); await write(); }
    await writing;
  };
}
