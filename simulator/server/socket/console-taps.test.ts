import { afterEach, describe, expect, it } from 'vitest';
import { base64ToBytes, base64ToText, MAX_CONSOLE_CHUNK_BYTES, textToBase64, type ServerMessage } from '../../pure/protocol';
import { FakeLabChannel } from './fake-lab-channel';
import { connect, startTestServer, type TestClient, type TestServer } from './test-kit';

let server: TestServer | undefined;
let page: TestClient | undefined;

async function attachedPage(setUpLab: (lab: FakeLabChannel) => void = () => {}): Promise<{ lab: FakeLabChannel; page: TestClient }> {
  const lab = new FakeLabChannel();
  lab.addHost('edge-1');
  setUpLab(lab);
  server = await startTestServer([lab]);
  page = await connect(server.url(lab.labId));
  page.hello();
  await page.next('view');
  return { lab, page };
}

afterEach(async () => {
  expect(page?.invalid ?? []).toEqual([]);
  await server?.close();
  server = page = undefined;
});

type ConsoleMessage = Extract<ServerMessage, { type: 'console.history' | 'console.output' }>;
const isConsole = (m: ServerMessage): m is ConsoleMessage => m.type === 'console.history' || m.type === 'console.output';

/** The console text a page rebuilds from history and output, checking every offset follows on. */
function rebuild(messages: readonly ServerMessage[]): { offset: number; text: string } {
  const chunks = messages.filter(isConsole);
  expect(chunks[0]?.type).toBe('console.history');
  const start = chunks[0]!.offset;
  let end = start;
  const parts: Uint8Array[] = [];
  for (const c of chunks) {
    expect(c.type === 'console.output' || c === chunks[0], 'one history per attach').toBe(true);
    expect(c.offset, 'chunks follow on without gap or overlap').toBe(end);
    const bytes = base64ToBytes(c.data);
    expect(bytes.length).toBeLessThanOrEqual(MAX_CONSOLE_CHUNK_BYTES);
    parts.push(bytes);
    end += bytes.length;
  }
  return { offset: start, text: Buffer.concat(parts).toString('latin1') };
}

describe('consoles', () => {
  it('attach sends the retained tail, then live output; input reaches the host; detach stops it', async () => {
    const { lab, page } = await attachedPage((l) => l.print('edge-1', 'boot\n'));
    page.send({ type: 'console.attach', hostId: 'edge-1' });
    expect(await page.next('console.history')).toEqual({ type: 'console.history', hostId: 'edge-1', data: textToBase64('boot\n'), offset: 0 });
    lab.print('edge-1', 'login: ');
    expect(await page.next('console.output')).toEqual({ type: 'console.output', hostId: 'edge-1', data: textToBase64('login: '), offset: 5 });

    page.send({ type: 'console.input', hostId: 'edge-1', data: textToBase64('root\r') });
    page.send({ type: 'console.input', hostId: 'edge-1', data: textToBase64('ls\r') });
    page.send({ type: 'ping' });
    await page.next('pong');
    expect(lab.inputs).toEqual([{ hostId: 'edge-1', text: 'root\r' }, { hostId: 'edge-1', text: 'ls\r' }]);

    page.send({ type: 'console.detach', hostId: 'edge-1' });
    page.send({ type: 'console.detach', hostId: 'edge-1' }); // not attached any more: no error
    page.send({ type: 'ping' });
    await page.next('pong');
    expect(lab.tapCount).toBe(0);
    lab.print('edge-1', '# ');
    expect((await page.rest()).filter(isConsole)).toEqual([]);
  });

  it('splits a long history and long output into chunks of at most MAX_CONSOLE_CHUNK_BYTES', async () => {
    const history = 'h'.repeat(2 * MAX_CONSOLE_CHUNK_BYTES + 100);
    const { lab, page } = await attachedPage((l) => {
      l.addHost('edge-1', { retain: 4 * MAX_CONSOLE_CHUNK_BYTES });
      l.print('edge-1', history);
    });
    page.send({ type: 'console.attach', hostId: 'edge-1' });
    const live = 'o'.repeat(MAX_CONSOLE_CHUNK_BYTES + 1);
    await page.next('console.history');
    lab.print('edge-1', live);
    await page.until((m) => m.type === 'console.output' && m.offset + base64ToBytes(m.data).length === history.length + live.length);
    const all = page.messages.filter(isConsole);
    expect(all.map((m) => [m.type, m.offset])).toEqual([
      ['console.history', 0],
      ['console.output', MAX_CONSOLE_CHUNK_BYTES],
      ['console.output', 2 * MAX_CONSOLE_CHUNK_BYTES],
      ['console.output', history.length],
      ['console.output', history.length + MAX_CONSOLE_CHUNK_BYTES],
    ]);
    expect(rebuild(all)).toEqual({ offset: 0, text: history + live });
  });

  it('sends output printed while attaching exactly once, after the history', async () => {
    let lab!: FakeLabChannel;
    ({ lab, page } = await attachedPage((l) => {
      l.addHost('edge-1', { retain: 8, onAttach: () => l.print('edge-1', 'during') });
      l.print('edge-1', 'before-');
    }));
    page.send({ type: 'console.attach', hostId: 'edge-1' });
    await page.next('console.history');
    lab.print('edge-1', '-after');
    await page.until((m) => m.type === 'console.output' && base64ToText(m.data).endsWith('after'));
    // The retained tail (8 bytes) already holds "during": the early chunk must not repeat it.
    expect(rebuild(page.messages)).toEqual({ offset: 5, text: 'e-during-after' });
  });

  it('attaching again replaces the attachment with a fresh history', async () => {
    const { lab, page } = await attachedPage((l) => l.print('edge-1', 'a'));
    page.send({ type: 'console.attach', hostId: 'edge-1' });
    page.send({ type: 'console.attach', hostId: 'edge-1' });
    await page.next('console.history');
    await page.next('console.history');
    expect(lab.tapCount).toBe(1);
    lab.print('edge-1', 'b');
    const out = (await page.rest()).filter(isConsole);
    expect(out).toEqual([{ type: 'console.output', hostId: 'edge-1', data: textToBase64('b'), offset: 1 }]);
  });

  it('an unknown host is answered with unknown-host, for attach and for input', async () => {
    const { lab, page } = await attachedPage();
    page.send({ type: 'console.attach', hostId: 'edge-9' });
    expect(await page.next('error')).toEqual({ type: 'error', code: 'unknown-host', message: '[lab-socket] lab lab-1 has no host "edge-9"; use a host ID from the lab view' });
    page.send({ type: 'console.input', hostId: 'edge-9', data: textToBase64('x') });
    expect(await page.next('error')).toMatchObject({ code: 'unknown-host' });
    expect(lab.tapCount).toBe(0);
  });

  it('closing the page detaches every console and unsubscribes', async () => {
    const { lab, page } = await attachedPage((l) => l.addHost('edge-2'));
    page.send({ type: 'console.attach', hostId: 'edge-1' });
    page.send({ type: 'console.attach', hostId: 'edge-2' });
    await page.next('console.history');
    await page.next('console.history');
    expect([lab.tapCount, lab.listenerCount]).toEqual([2, 1]);
    await page.close();
    await expect.poll(() => [lab.tapCount, lab.listenerCount]).toEqual([0, 0]);
  });
});
