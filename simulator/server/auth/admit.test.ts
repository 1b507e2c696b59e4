import { describe, expect, it } from 'vitest';
import { admitLabRequest, type AdmissionOptions, type LabRequest } from './admit';
import { generateSecret, issueLabToken } from './token';

const SECRET = generateSecret();
const SITE = 'http://127.0.0.1:3000';
const NOW = 1_750_000_000_000;
const OPTS: AdmissionOptions = { secret: SECRET, allowedOrigins: [SITE], now: NOW };
const token = (labId = 'lab-1', ttlMs = 60_000) => issueLabToken({ labId, role: 'it-ops', ttlMs }, SECRET, NOW);

function request(url: string, headers: LabRequest['headers'] = {}): LabRequest {
  return { url, headers: { origin: SITE, ...headers } };
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('admitLabRequest admits', () => {
  it('a good token in Authorization: Bearer', () => {
    expect(admitLabRequest(request('/labs/lab-1/api/hosts', bearer(token())), OPTS)).toEqual({
      ok: true, labId: 'lab-1', role: 'it-ops', exp: NOW + 60_000, rest: '/api/hosts', origin: SITE,
    });
  });

  it('a good token in ?token= (WebSocket upgrades), and strips the query from rest', () => {
    expect(admitLabRequest(request(`/labs/lab-1/ws?token=${token()}&since=4`), OPTS)).toMatchObject({ ok: true, labId: 'lab-1', rest: '/ws' });
  });

  it('the same token sent both ways', () => {
    const t = token();
    expect(admitLabRequest(request(`/labs/lab-1?token=${t}`, bearer(t)), OPTS)).toMatchObject({ ok: true, rest: '/' });
  });

  it('a command-line client without Origin, only when that is explicitly allowed', () => {
    const req: LabRequest = { url: '/labs/lab-1/ws', headers: bearer(token()) };
    expect(admitLabRequest(req, OPTS)).toMatchObject({ ok: false, status: 403, code: 'missing-origin' });
    expect(admitLabRequest(req, { ...OPTS, allowMissingOrigin: true })).toMatchObject({ ok: true, origin: null });
  });
});

// [case, request, status, code, a fragment of the message]
const refusals: [string, LabRequest, number, string, string][] = [
  ['a path outside /labs/', request('/v1/edge/hosts', bearer(token())), 404, 'not-a-lab-path', 'lab URLs look like /labs/<lab id>/'],
  ['/labs without an id', request('/labs', bearer(token())), 404, 'not-a-lab-path', 'lab URLs look like'],
  ['an empty lab id', request('/labs//ws', bearer(token())), 404, 'bad-lab-id', 'open the lab from its page'],
  ['a percent-encoded lab id', request('/labs/lab%2F1/ws', bearer(token())), 404, 'bad-lab-id', 'lab ids are 1-64 letters'],
  ['an absolute request target', request('http://evil.example/labs/lab-1/ws', bearer(token())), 404, 'not-a-lab-path', 'lab URLs look like'],
  ['a //host request target', request('//evil.example/labs/lab-1/ws', bearer(token())), 404, 'not-a-lab-path', 'lab URLs look like'],
  ['a foreign Origin', request('/labs/lab-1/ws', { origin: 'https://evil.example', ...bearer(token()) }), 403, 'foreign-origin', `open the lab from ${SITE}`],
  ['a missing Origin', { url: '/labs/lab-1/ws', headers: bearer(token()) }, 403, 'missing-origin', 'open the lab from the Edge Lab site'],
  ['no token', request('/labs/lab-1/ws'), 401, 'missing-token', 'send it as Authorization: Bearer <token> or ?token=<token>'],
  ['an empty ?token=', request('/labs/lab-1/ws?token='), 401, 'missing-token', 'no lab token'],
  ['a Basic Authorization header', request('/labs/lab-1/ws', { authorization: 'Basic dXNlcjpwYXNz' }), 401, 'missing-token', 'is not "Bearer <lab token>"'],
  ['two different tokens', request(`/labs/lab-1/ws?token=${token()}`, bearer(token('lab-1', 120_000))), 401, 'conflicting-tokens', 'send one'],
  ['a malformed token', request('/labs/lab-1/ws', bearer('not-a-token')), 401, 'malformed-token', 'copy the whole lab link again or reload'],
  ['a tampered payload', request('/labs/lab-1/ws', bearer(tamper(token()))), 401, 'bad-signature', 'reload the lab page'],
  ['a token signed with another secret', request('/labs/lab-1/ws', bearer(issueLabToken({ labId: 'lab-1', role: 'solo', ttlMs: 60_000 }, generateSecret(), NOW))), 401, 'bad-signature', 'not signed by this lab server'],
  ['an expired token', request('/labs/lab-1/ws', bearer(token('lab-1', 1))), 401, 'expired-token', 'has expired; reload the lab page'],
  ['a token for another lab', request('/labs/lab-1/ws', bearer(token('lab-2'))), 403, 'wrong-lab', 'this token opens lab lab-2, not lab lab-1'],
];

function tamper(t: string): string {
  const [prefix, , sig] = t.split('.');
  const payload = Buffer.from(JSON.stringify({ labId: 'lab-1', role: 'trainer', exp: NOW + 86_400_000 })).toString('base64url');
  return `${prefix}.${payload}.${sig}`;
}

describe('admitLabRequest refuses', () => {
  it.each(refusals)('%s', (_name, req, status, code, fragment) => {
    const r = admitLabRequest(req, { ...OPTS, now: NOW + 1 });
    expect(r).toMatchObject({ ok: false, status, code });
    if (r.ok) return;
    expect(r.message).toMatch(/^\[lab-auth\] /);
    expect(r.message).toContain(fragment);
  });

  it('answers 401 with WWW-Authenticate, naming the error only when a token was sent', () => {
    expect(admitLabRequest(request('/labs/lab-1/ws'), OPTS)).toMatchObject({ headers: { 'www-authenticate': 'Bearer realm="edge-lab"' } });
    expect(admitLabRequest(request('/labs/lab-1/ws', bearer('x')), OPTS)).toMatchObject({
      headers: { 'www-authenticate': 'Bearer realm="edge-lab", error="invalid_token"' },
    });
    expect(admitLabRequest(request('/labs/lab-1/ws', { origin: 'https://evil.example' }), OPTS)).toMatchObject({ status: 403, headers: {} });
  });

  it('checks the Origin before the token, so a foreign site learns nothing about tokens', () => {
    const r = admitLabRequest(request('/labs/lab-1/ws', { origin: 'https://evil.example', ...bearer('junk') }), OPTS);
    expect(r).toMatchObject({ status: 403, code: 'foreign-origin' });
  });

  it('never echoes the token in a message', () => {
    const t = token('lab-2');
    for (const req of [request(`/labs/lab-1/ws?token=${t}`), request('/labs/lab-1/ws', bearer(`${t}x`))]) {
      const r = admitLabRequest(req, OPTS);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).not.toContain(t.split('.')[2]!);
    }
  });
});
