import { describe, expect, it, vi } from 'vitest';
import type { ServerMessage } from '../../pure/protocol';
import { FakeLabChannel, type FakeLabChannelOptions } from './fake-lab-channel';
import { LabStream, MAX_QUEUED_UPDATES, type StreamOutput } from './lab-stream';

/** A stream over a fake channel that records what it would send, as [type, seq] pairs. */
function streamOver(opts: FakeLabChannelOptions = {}) {
  const lab = new FakeLabChannel(opts);
  const sent: ServerMessage[] = [];
  const out: StreamOutput = { send: (m) => (sent.push(m), true), drained: async () => {}, overflow: vi.fn() };
  const failures: unknown[] = [];
  const stream = new LabStream(lab, out, (err) => failures.push(err));
  const trace = () => sent.map((m) => [m.type, 'seq' in m ? m.seq : null]);
  return { lab, out, stream, failures, trace, heads: [] as number[] };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LabStream', () => {
  it('sends the replay, then the view, then live updates', async () => {
    const s = streamOver();
    s.lab.appendMany(2);
    await s.stream.start(1, (head) => s.heads.push(head));
    s.lab.append({ type: 'tick' });
    await settle();
    expect(s.heads).toEqual([2]);
    expect(s.trace()).toEqual([['event', 2], ['view', 2], ['event', 3], ['view', 3]]);
  });

  it('completes a skipped event from the log before sending the next one', async () => {
    const s = streamOver({ loseDelivery: (u) => (u.kind === 'event' ? u.entry.seq : u.seq) === 2 });
    await s.stream.start(0, () => {});
    s.lab.appendMany(3);
    await settle();
    expect(s.trace()).toEqual([['view', 0], ['event', 1], ['view', 1], ['event', 2], ['event', 3], ['view', 3]]);
  });

  it('never lets a view overtake the events it reflects', async () => {
    const s = streamOver({ loseDelivery: (u) => u.kind === 'event' });
    await s.stream.start(0, () => {});
    s.lab.appendMany(2);
    await settle();
    expect(s.trace()).toEqual([['view', 0], ['event', 1], ['view', 1], ['event', 2], ['view', 2]]);
  });

  it('drops late views older than the last one sent (an equal one may be newer: it is sent)', async () => {
    let lab!: FakeLabChannel;
    const s = streamOver({ deliverLate: true, duringEventsSince: () => (lab.log.length ? undefined : lab.appendMany(2)) });
    lab = s.lab;
    await s.stream.start(0, () => {});
    await new Promise((resolve) => setTimeout(resolve, 30)); // the late deliveries of seq 1 and 2 arrive now
    expect(s.trace()).toEqual([['event', 1], ['event', 2], ['view', 2], ['view', 2]]);
  });

  it('asks to close once too many updates wait behind a slow log read', async () => {
    let release!: () => void;
    const s = streamOver({ duringEventsSince: () => new Promise<void>((resolve) => (release = resolve)) });
    const started = s.stream.start(0, () => {});
    await settle();
    s.lab.appendMany(MAX_QUEUED_UPDATES / 2 + 1); // an event and a view each
    expect(s.out.overflow).toHaveBeenCalled();
    s.stream.stop();
    release();
    await started;
    expect(s.lab.listenerCount).toBe(0);
  });

  it('rejects start when the lab cannot be read, and reports failures once live', async () => {
    const broken = streamOver();
    broken.lab.failReads = true;
    await expect(broken.stream.start(0, () => {})).rejects.toThrow('unreadable');

    const s = streamOver({ loseDelivery: (u) => u.kind === 'event' });
    await s.stream.start(0, () => {});
    s.lab.failReads = true;
    s.lab.append({ type: 'tick' });
    await settle();
    expect(s.failures).toHaveLength(1);
  });

  it('stop unsubscribes and sends nothing more', async () => {
    const s = streamOver();
    await s.stream.start(0, () => {});
    s.stream.stop();
    s.stream.stop();
    s.lab.append({ type: 'tick' });
    await settle();
    expect(s.lab.listenerCount).toBe(0);
    expect(s.trace()).toEqual([['view', 0]]);
  });
});
