import { describe, expect, it } from 'vitest';
import { checkOrigin } from './origin';

const SITE = 'http://127.0.0.1:3000';
const ALLOWED = [SITE, 'https://labs.example.com/'];

describe('checkOrigin', () => {
  it.each([
    ['the site', SITE],
    ['an allowed origin configured with a trailing slash', 'https://labs.example.com'],
  ])('admits %s', (_name, origin) => {
    expect(checkOrigin(origin, ALLOWED)).toEqual({ ok: true, origin });
  });

  it.each([
    ['another site', 'https://evil.example', 'foreign-origin'],
    ['the right host on another port', 'http://127.0.0.1:3001', 'foreign-origin'],
    ['the right host over another scheme', 'https://127.0.0.1:3000', 'foreign-origin'],
    ['localhost for 127.0.0.1', 'http://localhost:3000', 'foreign-origin'],
    ['an opaque origin', 'null', 'bad-origin'],
    ['a non-http origin', 'file:///tmp/x.html', 'bad-origin'],
    ['an origin with a path', `${SITE}/docs`, 'bad-origin'],
    ['upper case', 'HTTP://127.0.0.1:3000', 'bad-origin'],
    ['garbage', 'not an origin', 'bad-origin'],
  ] as const)('refuses %s', (_name, origin, reason) => {
    const r = checkOrigin(origin, ALLOWED);
    expect(r).toMatchObject({ ok: false, reason });
    if (!r.ok) expect(r.message).toMatch(/^\[lab-auth\] /);
  });

  it('says where to open the lab instead of a foreign origin', () => {
    expect(checkOrigin('https://evil.example', [SITE])).toMatchObject({ message: expect.stringContaining(`open the lab from ${SITE}`) });
  });

  it('refuses several Origin headers', () => {
    expect(checkOrigin([SITE, SITE], ALLOWED)).toMatchObject({ ok: false, reason: 'bad-origin' });
  });

  it('refuses everything when no origin is allowed (fails closed)', () => {
    expect(checkOrigin(SITE, [])).toMatchObject({ ok: false, reason: 'foreign-origin', message: expect.stringContaining('allows no origins') });
  });

  it('refuses a missing Origin unless command-line clients are explicitly allowed', () => {
    expect(checkOrigin(undefined, ALLOWED)).toMatchObject({ ok: false, reason: 'missing-origin' });
    expect(checkOrigin('', ALLOWED)).toMatchObject({ ok: false, reason: 'missing-origin' });
    expect(checkOrigin(undefined, ALLOWED, { allowMissingOrigin: false })).toMatchObject({ ok: false, reason: 'missing-origin' });
    expect(checkOrigin(undefined, ALLOWED, { allowMissingOrigin: true })).toEqual({ ok: true, origin: null });
  });

  it('allowing a missing Origin does not admit a foreign one', () => {
    expect(checkOrigin('https://evil.example', ALLOWED, { allowMissingOrigin: true })).toMatchObject({ ok: false, reason: 'foreign-origin' });
  });

  it.each(['*', 'http://127.0.0.1:3000/docs', '127.0.0.1:3000', 'ws://127.0.0.1:3000', 'http://127.0.0.1:3000/?x=1'])(
    'throws on a misconfigured allowed origin %j',
    (bad) => {
      expect(() => checkOrigin(SITE, [bad])).toThrow(/^\[lab-auth\] allowed origin .* is not an http\(s\) origin/);
    },
  );
});
