import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAB_UNSUPPORTED_KEYS } from './lab-unsupported';

// "How the lab works" is where a reader learns which keys the lab refuses; it must name each.
const page = readFileSync(new URL('../../../docs/how-the-lab-works.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe('keys the lab refuses', () => {
  it.each(LAB_UNSUPPORTED_KEYS.map((k) => [k.path.split('.').pop()!]))('"How the lab works" names `%s`', (key) => {
    expect(page).toMatch(new RegExp(`[\`.]${key}\``));
  });
});
