import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleBuffer } from '../hosts/console-buffer';
import { persistConsole, restoreConsole } from './console-files';

const dirs: string[] = [];
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }); });
const text = (b: ConsoleBuffer): string => new TextDecoder().decode(b.history());

describe('console files', () => {
  it('bring a console back with its text and stream offsets after a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-console-'));
    dirs.push(dir);
    const file = join(dir, 'consoles', 'h1.log');
    const before = new ConsoleBuffer(8);
    const stop = persistConsole(before, file, 10_000);
    before.append(new TextEncoder().encode('boot line\n'));
    before.append(new TextEncoder().encode('login:'));
    await stop();

    const after = new ConsoleBuffer(8);
    await restoreConsole(after, file);
    expect(text(after)).toBe(text(before));
    expect([after.start, after.end]).toEqual([before.start, before.end]);
    after.append(new TextEncoder().encode('!'));
    expect(after.end).toBe(before.end + 1);
  });

  it('start empty when the file is missing or damaged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edge-lab-test-console-'));
    dirs.push(dir);
    const b = new ConsoleBuffer();
    await restoreConsole(b, join(dir, 'none.log'));
    await writeFile(join(dir, 'bad.log'), 'not a number\nxyz');
    await restoreConsole(b, join(dir, 'bad.log'));
    expect([b.start, b.end, b.history().length]).toEqual([0, 0, 0]);
  });
});
