import { rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  QmpClient,
  QmpClosedError,
  QmpCommandError,
  QmpProtocolError,
  QmpTimeoutError,
  hmpErrorText,
} from './qmp-client';
import { createDuplexPair, startFakeQmpServer, type FakeQmpScript } from './testing/fake-qmp-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const clients: QmpClient[] = [];

async function setup(respond?: FakeQmpScript) {
  const [clientSide, serverSide] = createDuplexPair();
  const server = startFakeQmpServer(serverSide, respond);
  const client = await QmpClient.connect(clientSide, { timeoutMs: 1000 });
  clients.push(client);
  return { client, server, clientSide, serverSide };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

describe('QmpClient handshake', () => {
  it('waits for the greeting and negotiates capabilities', async () => {
    const { client, server } = await setup(() => ({ return: { status: 'running', running: true } }));
    expect(server.log).toEqual(['recv qmp_capabilities', 'send qmp_capabilities']);
    expect(server.received[0]).toMatchObject({ command: 'qmp_capabilities', args: undefined });
    await expect(client.execute('query-status')).resolves.toEqual({ status: 'running', running: true });
  });

  it('times out without a greeting and destroys the stream', async () => {
    const [clientSide, serverSide] = createDuplexPair();
    startFakeQmpServer(serverSide, undefined, { greeting: false });
    const err = await QmpClient.connect(clientSide, { timeoutMs: 30 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpTimeoutError);
    expect(err).toMatchObject({ name: 'QmpTimeoutError', message: expect.stringMatching(/^\[simulator:qmp\] QMP handshake timed out/) });
    expect(clientSide.destroyed).toBe(true);
  });

  it('rejects with QmpCommandError when qmp_capabilities fails', async () => {
    const [clientSide, serverSide] = createDuplexPair();
    startFakeQmpServer(serverSide, undefined, { capabilitiesReply: { error: { class: 'CommandNotFound', desc: 'nope' } } });
    await expect(QmpClient.connect(clientSide)).rejects.toMatchObject({ name: 'QmpCommandError', errorClass: 'CommandNotFound' });
  });

  it('rejects with QmpClosedError when the stream closes first', async () => {
    const [clientSide, serverSide] = createDuplexPair();
    const pending = QmpClient.connect(clientSide);
    serverSide.end();
    await expect(pending).rejects.toBeInstanceOf(QmpClosedError);
  });

  it('rejects with QmpProtocolError when the first line is not a greeting', async () => {
    const [clientSide, serverSide] = createDuplexPair();
    const pending = QmpClient.connect(clientSide);
    serverSide.write('{"return": {}}\r\n');
    await expect(pending).rejects.toBeInstanceOf(QmpProtocolError);
  });
});

describe('QmpClient commands', () => {
  it('keeps exactly one command in flight, in call order', async () => {
    const { client, server } = await setup(async (command) => {
      await sleep(20); // a pipelining client would get its next command in meanwhile
      return { return: command.toUpperCase() };
    });
    const results = await Promise.all([client.execute('a'), client.execute('b', { x: 1 }), client.execute('c')]);
    expect(results).toEqual(['A', 'B', 'C']);
    expect(server.log.slice(2)).toEqual(['recv a', 'send a', 'recv b', 'send b', 'recv c', 'send c']);
    expect(server.received[2]?.args).toEqual({ x: 1 });
    expect(new Set(server.received.map((r) => r.id)).size).toBe(4);
  });

  it('rejects an error reply with QmpCommandError and keeps working', async () => {
    const { client } = await setup((command) =>
      command === 'device_del' ? { error: { class: 'DeviceNotFound', desc: "Device 'nic9' not found" } } : { return: 'ok' },
    );
    const err = await client.execute('device_del', { id: 'nic9' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpCommandError);
    expect(err).toMatchObject({ errorClass: 'DeviceNotFound', desc: "Device 'nic9' not found", command: 'device_del' });
    expect((err as Error).message).toBe("[simulator:qmp] device_del failed: DeviceNotFound: Device 'nic9' not found");
    await expect(client.execute('next')).resolves.toBe('ok');
  });

  it('times out a silent command, then drops its late reply by id', async () => {
    const { client } = await setup(async (command) => {
      if (command === 'slow') await sleep(60);
      return { return: command };
    });
    await expect(client.execute('slow', undefined, { timeoutMs: 10 })).rejects.toBeInstanceOf(QmpTimeoutError);
    await expect(client.execute('fast')).resolves.toBe('fast');
    await sleep(80); // late 'slow' reply arrives now and must not be taken for 'after'
    await expect(client.execute('after')).resolves.toBe('after');
  });

  it('runs HMP commands; hmpErrorText spots HMP failures', async () => {
    const { client, server } = await setup((_c, args) =>
      args?.['command-line'] === 'savevm snap1'
        ? { return: 'Error: no block device can store vmstate\r\n' }
        : { return: '' },
    );
    const out = await client.humanMonitor('savevm snap1');
    expect(server.received.at(-1)).toMatchObject({ command: 'human-monitor-command', args: { 'command-line': 'savevm snap1' } });
    expect(hmpErrorText(out)).toBe('Error: no block device can store vmstate');
    expect(hmpErrorText(await client.humanMonitor('info status'))).toBeNull();
    expect(hmpErrorText('VM status: running\r\n')).toBeNull();
  });
});

describe('QmpClient events', () => {
  const reset = { guest: false, reason: 'host-qmp-system-reset' };

  it('catches an event that precedes the reply when the waiter is registered first', async () => {
    const { client } = await setup((command) =>
      command === 'system_reset' ? [{ event: 'RESET', data: reset }, { return: {} }] : { return: {} },
    );
    const waiter = client.waitForEvent('RESET', (data) => data.reason === 'host-qmp-system-reset', 1000);
    await client.execute('system_reset');
    const ev = await waiter;
    expect(ev.data).toEqual(reset);
    expect(ev.event).toBe('RESET');
    // The trap: registering after execute misses the already-delivered event.
    const late = client.waitForEvent('RESET', undefined, 30);
    await client.execute('query-status');
    await expect(late).rejects.toBeInstanceOf(QmpTimeoutError);
  });

  it('delivers to named and catch-all listeners until unsubscribed', async () => {
    const { client, server } = await setup();
    const seen: string[] = [];
    const offShutdown = client.on('SHUTDOWN', (data) => seen.push(`SHUTDOWN ${data.guest} ${data.reason}`));
    const star = (_data: unknown, ev: { event: string }) => seen.push(`* ${ev.event}`);
    client.on('*', star);
    const stop = client.waitForEvent('STOP');
    server.sendEvent('SHUTDOWN', { guest: true, reason: 'guest-shutdown' });
    server.sendEvent('STOP');
    expect((await stop).data).toEqual({});
    offShutdown();
    client.off('*', star);
    server.sendEvent('SHUTDOWN', { guest: false, reason: 'host-qmp-quit' });
    await client.execute('sync');
    expect(seen).toEqual(['SHUTDOWN true guest-shutdown', '* SHUTDOWN', '* STOP']);
  });
});

describe('QmpClient closing', () => {
  it('rejects in-flight and queued commands and waiters when the peer hangs up', async () => {
    const { client, server } = await setup(() => new Promise(() => {}));
    const first = client.execute('hang');
    const second = client.execute('queued');
    const waiter = client.waitForEvent('SHUTDOWN');
    await sleep(5);
    server.end();
    await expect(first).rejects.toBeInstanceOf(QmpClosedError);
    await expect(second).rejects.toBeInstanceOf(QmpClosedError);
    await expect(waiter).rejects.toBeInstanceOf(QmpClosedError);
    await client.closed;
    await expect(client.execute('after')).rejects.toMatchObject({ name: 'QmpClosedError' });
  });

  it('absorbs ECONNRESET-like stream errors and chains them as cause', async () => {
    const { client, clientSide } = await setup(() => new Promise(() => {}));
    const pending = client.execute('hang');
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    clientSide.emit('error', reset); // raw emit: would crash Node without a handler
    clientSide.emit('error', reset); // and again, after the client has finished
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpClosedError);
    expect((err as Error).cause).toBe(reset);
    await client.closed;
  });

  it('treats a malformed line as fatal, with QmpProtocolError as cause', async () => {
    const { client } = await setup(() => ({ raw: '{"return": ' }));
    const err = await client.execute('garbled').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpClosedError);
    expect((err as Error).cause).toBeInstanceOf(QmpProtocolError);
  });

  it('close() is idempotent and rejects pending work', async () => {
    const { client } = await setup(() => new Promise(() => {}));
    const pending = client.execute('hang');
    const a = client.close();
    expect(client.close()).toBe(a);
    await expect(pending).rejects.toBeInstanceOf(QmpClosedError);
    await a;
    await client.closed;
  });
});

describe('QmpClient over a real unix socket', () => {
  it('handshakes, runs commands, receives events and closes', async () => {
    const socketPath = path.join(os.tmpdir(), `qmp-test-${process.pid}-${Date.now()}.sock`);
    const accepted: net.Socket[] = [];
    const server = net.createServer((sock) => {
      accepted.push(sock);
      startFakeQmpServer(sock, (command) => {
        if (command === 'hang') return new Promise(() => {});
        return command === 'system_powerdown' ? [{ event: 'POWERDOWN' }, { return: {} }] : { return: { status: 'running' } };
      });
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const client = await QmpClient.connect(net.createConnection(socketPath), { timeoutMs: 2000 });
      await expect(client.execute('query-status')).resolves.toEqual({ status: 'running' });
      const powerdown = client.waitForEvent('POWERDOWN', undefined, 2000);
      await client.execute('system_powerdown');
      await expect(powerdown).resolves.toMatchObject({ event: 'POWERDOWN', data: {} });
      await client.close();
      await expect(client.execute('query-status')).rejects.toBeInstanceOf(QmpClosedError);

      // QEMU vanishing mid-command: the pending command rejects, nothing throws.
      const second = await QmpClient.connect(net.createConnection(socketPath), { timeoutMs: 2000 });
      const pending = second.execute('hang');
      await sleep(10);
      accepted[1]?.destroy();
      await expect(pending).rejects.toBeInstanceOf(QmpClosedError);
      await second.closed;
    } finally {
      await new Promise((resolve) => server.close(resolve));
      await rm(socketPath, { force: true });
    }
  });
});
