import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// simulator/pure is shared with the browser site: it may import only other
// pure modules and the isomorphic libraries below; no Node built-ins, no DOM.
const ALLOWED_PACKAGES = new Set(['yaml', 'zod', 'xstate']);
const root = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('simulator/pure imports nothing with effects', () => {
  it.each(sources(root).map((p) => [relative(root, p), p]))('%s', (_name, path) => {
    const text = readFileSync(path, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    for (const s of specifiers) {
      if (s.startsWith('.')) continue;
      expect(ALLOWED_PACKAGES.has(s.split('/')[0]!), `${relative(root, path)} imports "${s}"; pure modules may import only ${[...ALLOWED_PACKAGES].join(', ')} and each other`).toBe(true);
    }
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    expect(code, 'uses a Node or browser global').not.toMatch(/\b(process|window|document|require)\s*[.(]/);
  });
});
