import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { base64ToBytes, textToBase64, type LabView } from '../../../simulator/pure/protocol';
import { showStep } from '../../../simulator/pure/scenarios/scenario-steps';
import { singleNode } from '../../../simulator/pure/scenarios/single-node';
import { Lab } from './lab';
import { BrowserScenarioDriver } from './scenario-driver';
import { fakeFetch, FakeWebSocket, flush, labView, MemoryStorage, type FakeAnswer, type FetchCall } from './test-fakes';

const HOUR = 3_600_000;

async function openLab(route: (c: FetchCall) => FakeAnswer = () => ({ status: 404 })) {
  const fetch = fakeFetch((c) =>
    c.method === 'POST' && c.path === '/labs'
      ? { status: 201, body: { labId: 'lab-1', role: 'solo', token: 'tok', expiresAt: Date.now() + HOUR, sessionSecret: 'sec', place: { state: 'active', position: null } } }
      : route(c),
  );
  const lab = new Lab({ scenario: 'single-node', fetch, storage: new MemoryStorage(), connection: { WebSocket: FakeWebSocket } });
  await lab.start();
  await flush();
  const ws = FakeWebSocket.last();
  ws.accept('lab-1');
  ws.receive({ type: 'view', seq: 0, lab: labView() });
  return { lab, ws, fetch, driver: new BrowserScenarioDriver(lab) };
}

const atStep = (path: string): LabView => labView({ state: path, data: { step: { path, label: path, role: 'it-ops' } }, allowed: ['CHECK'] });

beforeEach(() => {
  FakeWebSocket.instances = [];
});
afterEach(() => vi.useRealTimers());

describe('BrowserScenarioDriver', () => {
  it('calls the lab API with the session token, and answers with the body of an expected status', async () => {
    const { driver, fetch } = await openLab((c) =>
      c.path === '/labs/lab-1/palette/v1/tokens' ? { status: 201, body: { token: { value: 'v1' } } } : { status: 404 },
    );
    await expect(driver.call('POST', '/palette/v1/tokens', { name: 't' }, [200, 201], 'creating the token')).resolves.toEqual({ token: { value: 'v1' } });
    expect(fetch.calls.at(-1)).toMatchObject({ method: 'POST', path: '/labs/lab-1/palette/v1/tokens', body: { name: 't' }, authorization: 'Bearer tok' });
  });

  it('hands a refusal it expects back as the body, and says one it does not expect in words', async () => {
    const refusal = { error: 'invalid', message: 'the token is invalid', issues: [{ path: 'name', code: 'name-taken', message: 'a token named t already exists' }] };
    const { driver } = await openLab(() => ({ status: 422, body: refusal }));
    await expect(driver.call('POST', '/palette/v1/tokens', {}, [201, 422], 'creating the token')).resolves.toEqual(refusal);
    await expect(driver.call('POST', '/palette/v1/tokens', {}, [201], 'creating the token')).rejects.toThrow(
      '[lab-client] Creating the token failed: the token is invalid (name: a token named t already exists)',
    );
  });

  it('sends commands over the lab socket and settles them from command.result', async () => {
    const { driver, ws } = await openLab();
    const sent = driver.command({ kind: 'host', hostId: 'edge-host-1' }, 'INSERT_USB', { image: 'inst-1' });
    const frame = ws.sent.at(-1) as { type: string; id: string; target: unknown; name: string; args: unknown };
    expect(frame).toMatchObject({ type: 'command', target: { kind: 'host', hostId: 'edge-host-1' }, name: 'INSERT_USB', args: { image: 'inst-1' } });
    ws.receive({ type: 'command.result', id: frame.id, ok: true });
    await expect(sent).resolves.toBeUndefined();
  });

  it('waits for a view from the lab snapshot, stops on trouble, and times out in words', async () => {
    const { driver, ws } = await openLab();
    await expect(driver.waitForView(() => true, 1000, 'anything')).resolves.toMatchObject({ state: 'modelProfile' });
    const later = driver.waitForView((v) => v.label === 'later', 1000, 'a later view');
    ws.receive({ type: 'view', seq: 1, lab: labView({ label: 'later' }) });
    await expect(later).resolves.toMatchObject({ label: 'later' });

    const troubled = driver.waitForView(() => false, 1000, 'the install', (v) => (v.label === 'broken' ? 'the disk is too small' : null));
    ws.receive({ type: 'view', seq: 2, lab: labView({ label: 'broken' }) });
    await expect(troubled).rejects.toThrow('[lab-client] stopped waiting for the install: the disk is too small');

    vi.useFakeTimers();
    const slow = driver.waitForView(() => false, 2000, 'the cluster to be Running');
    const failed = expect(slow).rejects.toThrow('[lab-client] timed out after 2 s waiting for the cluster to be Running');
    await vi.advanceTimersByTimeAsync(2000);
    await failed;
  });

  it('gives up waiting when the connection stops for good', async () => {
    const { driver, lab } = await openLab();
    const waiting = driver.waitForView(() => false, 10_000, 'registration');
    lab.stop();
    await expect(waiting).rejects.toThrow(/stopped waiting for registration: the page closed the lab connection/);
  });

  it('runs a command on the host console and returns only its output', async () => {
    const { driver, ws } = await openLab();
    const out = driver.run('edge-host-1', 'kubectl get nodes', 5000);
    await flush();
    expect(ws.sent.some((m) => m.type === 'console.attach' && m.hostId === 'edge-host-1')).toBe(true);
    const input = ws.sent.find((m) => m.type === 'console.input') as { data: string };
    const typed = new TextDecoder().decode(base64ToBytes(input.data));
    const n = /@@\$\(\((\d+)\+0\)\)@@/.exec(typed)?.[1];
    expect(typed).toBe(`kubectl get nodes; echo "@@$((${n}+0))@@"\n`);
    // History from before (an older marker too), the echo of the typed line, the output, the marker.
    const history = 'old\r\n@@1@@\r\n';
    ws.receive({ type: 'console.history', hostId: 'edge-host-1', offset: 0, data: textToBase64(history) });
    const live = `${typed.replace('\n', '\r\n')}NAME          STATUS\r\nedge-host-1   Ready\r\n@@${n}@@\r\n# `;
    ws.receive({ type: 'console.output', hostId: 'edge-host-1', offset: history.length, data: textToBase64(live) });
    await expect(out).resolves.toBe('NAME          STATUS\nedge-host-1   Ready\n');
    expect(ws.sent.at(-1)).toEqual({ type: 'console.detach', hostId: 'edge-host-1' });
  });

  it('lets Show me perform a step against the page\'s lab', async () => {
    let ws: FakeWebSocket | null = null;
    const opened = await openLab((c) => {
      if (c.method === 'POST' && c.path === '/labs/lab-1/palette/v1/tokens') {
        // The lab checks by itself after Palette's event and moves on.
        setTimeout(() => ws?.receive({ type: 'view', seq: 5, lab: atStep('installHandoff.forgingInstaller') }), 0);
        return { status: 201, body: { token: { name: 'edge-lab-token', value: 'secret-value' } } };
      }
      return { status: 404 };
    });
    ws = opened.ws;
    ws.receive({ type: 'view', seq: 4, lab: atStep('installHandoff.creatingToken') });
    const memo = {};
    await expect(showStep(opened.driver, singleNode, 'installHandoff.creatingToken', memo)).resolves.toBe('edge-lab-token');
    expect(memo).toEqual({ token: 'secret-value' });
    expect(opened.fetch.calls.at(-1)).toMatchObject({ body: { name: 'edge-lab-token', project: 'Default' } });
  });
});
