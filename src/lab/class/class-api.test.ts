import { describe, expect, it } from 'vitest';
import { fakeFetch } from '../client/test-fakes';
import { closeClass, getClass, jumpClassLab, openClass, peekConsole, setWarm } from './class-api';

const SERVER = 'http://127.0.0.1:4100';

describe('class API calls', () => {
  it('opens a class with the operator key, and sends the trainer secret on trainer calls', async () => {
    const opened = { classId: 'cls-1', name: 'Mon', scenario: 'single-node', trainerSecret: 'sec', joinCode: 'code', learners: 30 };
    const dashboard = {
      classId: 'cls-1', name: 'Mon', scenario: 'single-node', capacity: { maxRunningHosts: 8, runningHosts: 0, queued: 0, warmBudget: 4 },
      warm: { target: 2, ready: 0 }, learners: { max: 30 }, checkpoints: { state: 'ready', error: null }, labs: [],
    };
    const answers: Record<string, unknown> = {
      'POST /classes': opened, 'GET /classes/cls-1': dashboard, 'POST /classes/cls-1/labs/lab-9/jump': { ok: true, phase: 'registration', ms: 5, built: false },
      'PUT /classes/cls-1/warm': { target: 2, ready: 0 }, 'DELETE /classes/cls-1': { closed: true, warmDeleted: 0 },
    };
    const fetch = fakeFetch((c) => ({ status: c.method === 'POST' && c.path === '/classes' ? 201 : 200, body: answers[`${c.method} ${c.path}`] }));
    const server = { url: SERVER, fetch };
    expect(await openClass(server, 'op-key', { scenario: 'single-node', name: 'Mon', warm: 2, learners: 30 })).toMatchObject({ ok: true, status: 201 });
    expect(await getClass(server, 'cls-1', 'sec')).toMatchObject({ ok: true, value: { warm: { target: 2 } } });
    expect(await jumpClassLab(server, 'cls-1', 'sec', 'lab-9', 'registration')).toMatchObject({ ok: true, value: { phase: 'registration' } });
    expect(await setWarm(server, 'cls-1', 'sec', 2)).toMatchObject({ ok: true, value: { target: 2, ready: 0 } });
    expect(await closeClass(server, 'cls-1', 'sec')).toMatchObject({ ok: true, value: { closed: true } });
    expect(fetch.calls.map((c) => [c.method, c.path, c.authorization, c.body])).toEqual([
      ['POST', '/classes', 'Bearer op-key', { scenario: 'single-node', name: 'Mon', warm: 2, learners: 30 }],
      ['GET', '/classes/cls-1', 'Bearer sec', undefined],
      ['POST', '/classes/cls-1/labs/lab-9/jump', 'Bearer sec', { phase: 'registration' }],
      ['PUT', '/classes/cls-1/warm', 'Bearer sec', { count: 2 }],
      ['DELETE', '/classes/cls-1', 'Bearer sec', undefined],
    ]);
  });

  it('reads a console as text', async () => {
    const fetch = async (): Promise<Response> => new Response('\u001b[1mlogin:\u001b[0m ', { status: 200, headers: { 'content-type': 'text/plain' } });
    expect(await peekConsole({ url: SERVER, fetch }, 'cls-1', 'sec', 'lab-9', 'edge-host-1')).toEqual({ ok: true, status: 200, value: '\u001b[1mlogin:\u001b[0m ' });
  });

  it('gives the server\'s code and message, or says nothing answered', async () => {
    const refusing = fakeFetch(() => ({ status: 403, body: { error: 'bad-trainer', message: '[classes] not this class\'s trainer' } }));
    expect(await getClass({ url: SERVER, fetch: refusing }, 'cls-1', 'nope')).toEqual({ ok: false, status: 403, code: 'bad-trainer', message: '[classes] not this class\'s trainer', issues: [] });
    const down = fakeFetch(() => 'unreachable');
    expect(await getClass({ url: SERVER, fetch: down }, 'cls-1', 's')).toMatchObject({ ok: false, status: 0, code: 'unreachable', message: expect.stringMatching(/^\[class\] the lab server at http:\/\/127.0.0.1:4100 does not answer/) });
  });

  it('checks a dashboard and a jump answer against the contract instead of trusting their shape', async () => {
    const odd = fakeFetch(() => ({ status: 200, body: { classId: 'cls-1', labs: 'not a list' } }));
    expect(await getClass({ url: SERVER, fetch: odd }, 'cls-1', 's')).toMatchObject({ ok: false, status: 200, code: 'bad-answer', message: expect.stringMatching(/^\[class\] the lab server's answer to GET \/classes\/cls-1 is not what this page expects \(name: .*reload the page/) });
    const noPhase = fakeFetch(() => ({ status: 200, body: { ok: true, ms: 5, built: false } }));
    expect(await jumpClassLab({ url: SERVER, fetch: noPhase }, 'cls-1', 's', 'lab-9', 'registration')).toMatchObject({ ok: false, code: 'bad-answer' });
    const good = fakeFetch(() => ({ status: 200, body: { ok: true, phase: 'registration', ms: 5, built: false, extra: 'ignored' } }));
    expect(await jumpClassLab({ url: SERVER, fetch: good }, 'cls-1', 's', 'lab-9', 'registration')).toMatchObject({ ok: true, value: { phase: 'registration', ms: 5 } });
  });
});
