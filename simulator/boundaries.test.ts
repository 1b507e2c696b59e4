// The import boundaries of the codebase, as a test that fails with the offending file and import:
//   - simulator/pure is shared with the browser: its relative imports stay inside it (the purity
//     test in pure/ checks its package imports);
//   - the site (src/) imports from simulator/ only the pure modules: the contract, never a server
//     module (tests of src/ may start a real server);
//   - the folders of simulator/ import one another in one direction: no cycle such as labs ↔ server.
//     testing/ (helpers for tests) is left out: it may use anything.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = normalize(join(new URL('.', import.meta.url).pathname, '..'));
const SIMULATOR = join(REPO, 'simulator');
const PURE = join(SIMULATOR, 'pure');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** The files a module's relative imports and re-exports name (without extension), absolute. */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)]
    .map((m) => normalize(join(dirname(file), (m[1] ?? m[2])!)));
}

const rel = (p: string): string => relative(REPO, p);

describe('import boundaries', () => {
  it.each(sources(PURE).map((p) => [rel(p), p]))('simulator/pure stays pure: %s', (_n, file) => {
    for (const target of relativeImports(file)) {
      expect(target.startsWith(`${PURE}/`), `${rel(file)} imports ${rel(target)}, outside simulator/pure; move what it needs into pure, or the code out of pure`).toBe(true);
    }
  });

  it('the site imports only the contract and other pure modules from simulator/', () => {
    const crossings = sources(join(REPO, 'src'))
      .filter((f) => !f.includes('/e2e/'))
      .flatMap((f) => relativeImports(f).filter((t) => t.startsWith(`${SIMULATOR}/`) && !t.startsWith(`${PURE}/`)).map((t) => `${rel(f)} → ${rel(t)}`));
    expect(crossings, 'move the shapes the page needs into simulator/pure (the contract)').toEqual([]);
  });

  it('the folders of simulator/ import one another in one direction', () => {
    const folderOf = (p: string): string | null => {
      const r = relative(SIMULATOR, p).split('/');
      return r.length > 1 && r[0] !== '..' ? r[0]! : null;
    };
    const edges = new Map<string, Map<string, string>>();
    for (const f of sources(SIMULATOR)) {
      const from = folderOf(f);
      if (!from || from === 'testing') continue;
      for (const t of relativeImports(f)) {
        const to = folderOf(t);
        if (!to || to === from || to === 'testing') continue;
        if (!edges.has(from)) edges.set(from, new Map());
        if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, `${rel(f)} → ${rel(t)}`);
      }
    }
    const cycles: string[] = [];
    const seen = new Set<string>();
    const walk = (node: string, path: string[]): void => {
      const at = path.indexOf(node);
      if (at >= 0) {
        const loop = [...path.slice(at), node];
        cycles.push(loop.slice(1).map((n, i) => edges.get(loop[i]!)!.get(n)!).join('; '));
        return;
      }
      if (seen.has(node)) return;
      for (const next of edges.get(node)?.keys() ?? []) walk(next, [...path, node]);
      seen.add(node);
    };
    for (const node of edges.keys()) walk(node, []);
    expect(cycles, 'a cycle between folders: move the shared piece to the folder both may import').toEqual([]);
  });
});
