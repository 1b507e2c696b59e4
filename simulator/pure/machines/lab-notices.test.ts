import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { hostMachine } from './host.machine';
import { labNotices } from './lab-notices';
import { toHostView, type HostView } from './view';

function host(...events: Parameters<ReturnType<typeof createActor<typeof hostMachine>>['send']>[0][]): HostView {
  const a = createActor(hostMachine, { input: {} }).start();
  for (const e of events) a.send(e);
  const v = toHostView(a.getSnapshot());
  a.stop();
  return v;
}

const on = { type: 'POWERED_ON', device: 'disk', cause: 'power-on' } as const;

describe('labNotices', () => {
  it('says nothing for a lab with nothing beside its steps', () => {
    expect(labNotices({ hosts: { a: host(), b: host(on) }, storeTrouble: null, unsaved: 0 })).toEqual([]);
  });

  it('names the hosts a restart of the lab server powered off, and what to do', () => {
    const off = host(on, { type: 'POWERED_OFF', reason: 'server-restarted' });
    expect(labNotices({ hosts: { 'edge-host-1': off, 'edge-host-2': off, 'edge-host-3': host() }, storeTrouble: null, unsaved: 0 })).toEqual([{
      kind: 'server-restarted', severity: 'info', hosts: ['edge-host-1', 'edge-host-2'],
      message: expect.stringMatching(/^The lab server restarted, and edge-host-1 and edge-host-2 stopped with it\..*power them on/),
    }]);
  });

  it('is gone once the host is on again', () => {
    const again = host(on, { type: 'POWERED_OFF', reason: 'server-restarted' }, { type: 'POWER_ON' }, on);
    expect(labNotices({ hosts: { h: again }, storeTrouble: null, unsaved: 0 })).toEqual([]);
  });

  it('names a VM that stopped on its own apart from one turned off on purpose', () => {
    const crashed = host(on, { type: 'POWERED_OFF', reason: 'crashed' });
    const cut = host(on, { type: 'POWERED_OFF', reason: 'hard-poweroff' });
    expect(labNotices({ hosts: { x: crashed, y: cut }, storeTrouble: null, unsaved: 0 })).toEqual([
      { kind: 'host-crashed', severity: 'info', hosts: ['x'], message: expect.stringMatching(/^x stopped on its own.*power it on/) },
    ]);
  });

  it('puts a store that cannot write first, with the store\'s words and how many reports it holds', () => {
    const n = labNotices({ hosts: {}, storeTrouble: { code: 'full', message: '[store] the disk holding /d/lab.db is full', since: 1 }, unsaved: 1 });
    expect(n).toEqual([{ kind: 'store-trouble', severity: 'error', hosts: [], message: expect.stringMatching(/\[store\] the disk holding \/d\/lab\.db is full\. 1 report from the hosts is held/) }]);
  });
});
