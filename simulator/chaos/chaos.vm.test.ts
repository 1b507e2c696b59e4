// The short chaos run of README's test command: ten faults of every kind, seed 1, on one
// single-node lab with real hosts. Each must end recovered or named, none stuck or lost, and
// the run must leave no lab server, QEMU, tmpfs or data directory behind.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../pure/chaos/plan';
import { processesMatching, tempLeftovers } from '../testing/leftovers';
import { DATA_DIR_PREFIX } from './chaos-server';
import { runChaos } from './run-chaos';

describe('a seeded chaos run on a real lab', () => {
  it('ends every fault recovered or named, and leaves nothing behind', async () => {
    const lines: string[] = [];
    const report = await runChaos({ labs: 1, faults: 10, seed: 1, kinds: FAULT_KINDS, say: (l) => lines.push(l) });
    console.log(lines.join('\n'));
    expect(report.error).toBeUndefined();
    expect(report.results).toHaveLength(10);
    const bad = report.results.filter((r) => r.outcome === 'stuck' || r.outcome === 'lost');
    expect(bad.map((r) => `#${r.fault.n} ${r.fault.kind} ${r.outcome}: ${r.detail}`)).toEqual([]);
    // The faults really happened: most of them hit, and a server restart was among them.
    expect(report.summary.injected).toBeGreaterThanOrEqual(7);
    expect(report.serverRestarts).toBeGreaterThanOrEqual(1);
    // A named fault says what the lab showed.
    for (const r of report.results.filter((x) => x.outcome === 'named')) expect(r.detail).not.toBe('');

    expect(await processesMatching(DATA_DIR_PREFIX)).toEqual([]);
    expect(await tempLeftovers([DATA_DIR_PREFIX])).toEqual([]);
    expect((await readFile('/proc/mounts', 'utf8')).includes(DATA_DIR_PREFIX)).toBe(false);
  }, 900_000);
});
