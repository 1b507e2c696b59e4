import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The provider OS's node renderer (guest/provider/kube-api-nodes.awk), run with
// busybox awk as in the guest, on etcd range replies shaped like etcd 3.4's.
const AWK = fileURLToPath(new URL('./guest/provider/kube-api-nodes.awk', import.meta.url));
const b64 = (s: string): string => Buffer.from(s).toString('base64');

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'edge-lab-kube-api-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

function rangeReply(kvs: Array<[string, string, string?]>): string {
  const items = kvs.map(([k, v, lease]) => `{"key":"${b64(k)}","create_revision":"2","mod_revision":"5","version":"1","value":"${b64(v)}"${lease ? `,"lease":"${lease}"` : ''}}`);
  return `{"header":{"cluster_id":"1","member_id":"2","revision":"7","raft_term":"2"},"kvs":[${items.join(',')}],"count":"${kvs.length}"}`;
}

/** Runs the renderer; `moves` are its `<tmp> <destination>` lines, `rest` the others. */
async function render(input: string, root: string, now?: number): Promise<{ moves: string[][]; rest: string[] }> {
  const tmp = join(root, '.tmp');
  await mkdir(tmp, { recursive: true });
  return new Promise((resolve, reject) => {
    const p = spawn('/bin/busybox', ['awk', '-v', `root=${root}`, '-v', `tmp=${tmp}`, ...(now === undefined ? [] : ['-v', `now=${now}`]), '-f', AWK]);
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) { reject(new Error(`awk exited ${code}: ${err}`)); return; }
      const lines = out.split('\n').filter(Boolean);
      resolve({ moves: lines.filter((l) => l.includes(' ')).map((l) => l.split(' ')), rest: lines.filter((l) => !l.includes(' ')) });
    });
    p.stdin.end(input);
  });
}

const record = (name: string, role: string, created: number): string =>
  JSON.stringify({ name, role, version: 'v1.32.4', internalIP: '10.77.0.11', osImage: 'Edge Lab Provider OS (BYOS, k8s runtime by Edge Lab)', kernel: '6.1.0-x', created });

interface Table { kind: string; apiVersion: string; columnDefinitions: Array<{ name: string; priority: number }>; rows: Array<{ cells: string[]; object: { metadata: { name: string } } }> }

describe('kube-api-nodes.awk', () => {
  it('renders a Table of every node: Ready while its lease key exists, NotReady without it', async () => {
    const root = join(dir, 'a');
    const now = Math.floor(Date.now() / 1000);
    const { moves, rest } = await render(rangeReply([
      ['/registry/leases/kube-node-lease/cp-1', String(now), '694d'],
      ['/registry/minions/cp-1', record('cp-1', 'control-plane', now - 330)],
      ['/registry/minions/worker-1', record('worker-1', 'worker', now - 5)],
    ]), root, now);
    expect(rest).toEqual(['next=2']); // the youngest node is 5 s old: ages change every second
    expect(moves.map(([, dest]) => dest)).toEqual([
      join(root, 'api/v1/nodes/cp-1/index.html'), join(root, 'api/v1/nodes/worker-1/index.html'), join(root, 'api/v1/nodes/index.html'),
    ]);
    const list = JSON.parse(await readFile(moves[2]![0]!, 'utf8')) as Table;
    expect(list).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1' });
    expect(list.columnDefinitions.filter((c) => c.priority === 0).map((c) => c.name)).toEqual(['Name', 'Status', 'Roles', 'Age', 'Version']);
    expect(list.rows.map((r) => r.cells.slice(0, 6))).toEqual([
      ['cp-1', 'Ready', 'control-plane', '5m30s', 'v1.32.4', '10.77.0.11'],
      ['worker-1', 'NotReady', '<none>', '5s', 'v1.32.4', '10.77.0.11'],
    ]);
    expect(list.rows[0]!.object.metadata.name).toBe('cp-1');
    const one = JSON.parse(await readFile(moves[0]![0]!, 'utf8')) as Table;
    expect(one.rows).toHaveLength(1);
  });

  it('lists only documents that changed, so an idle tick moves nothing', async () => {
    const root = join(dir, 'b');
    const input = rangeReply([['/registry/minions/n', record('n', 'control-plane', 1_000)]]);
    const { moves } = await render(input, root);
    for (const [from, to] of moves) {
      await mkdir(join(to!, '..'), { recursive: true });
      await writeFile(to!, await readFile(from!));
    }
    expect(await render(input, root)).toEqual({ moves: [], rest: ['next=60'] });
  });

  it('says etcd-down for anything that is not an etcd reply', async () => {
    expect(await render('', join(dir, 'c'))).toEqual({ moves: [], rest: ['etcd-down'] });
    expect(await render('<html>502</html>', join(dir, 'c'))).toEqual({ moves: [], rest: ['etcd-down'] });
  });

  it.each([
    [0, '0s'], [119, '119s'], [120, '2m'], [125, '2m5s'], [600, '10m'], [179 * 60, '179m'], [3 * 3600, '3h'], [3 * 3600 + 120, '3h2m'],
    [8 * 3600, '8h'], [47 * 3600, '47h'], [48 * 3600, '2d'], [50 * 3600, '2d2h'], [8 * 86400, '8d'], [800 * 86400, '2y70d'],
  ])('shows an age of %i s as %s, like kubectl', async (seconds, shown) => {
    const now = Math.floor(Date.now() / 1000);
    const root = join(dir, `age-${seconds}`);
    const { moves } = await render(rangeReply([['/registry/minions/n', record('n', 'control-plane', now - seconds)]]), root, now);
    const table = JSON.parse(await readFile(moves.at(-1)![0]!, 'utf8')) as Table;
    expect(table.rows[0]!.cells[3]).toBe(shown);
  });
});
