import { describe, expect, it } from 'vitest';
import { routeEntry, type LabLogEntry } from './lab-log';

const vmOf = (id: string): string | undefined => (id === 'edge-abc' ? 'edge-host-1' : undefined);

describe('routeEntry', () => {
  it.each<[string, LabLogEntry, unknown[]]>([
    ['a power change to the host chart', { type: 'host.power', host: 'h1', change: { state: 'on', device: 'usb', cause: 'power-on' } },
      [{ to: 'host', host: 'h1', event: { type: 'POWERED_ON', device: 'usb', cause: 'power-on' } }]],
    ['an agent that names itself: identity first, then the event', { type: 'host.console', host: 'h1', event: { type: 'AGENT_READY', hostId: 'edge-abc', ip: null, mac: 'm' } },
      [{ to: 'identity', host: 'h1', hostId: 'edge-abc' }, { to: 'host', host: 'h1', event: { type: 'AGENT_READY', hostId: 'edge-abc', ip: null, mac: 'm' } }]],
    ['a command failure as COMMAND_FAILED', { type: 'host.command-failed', host: 'h1', command: 'INSERT_USB', message: 'gone' },
      [{ to: 'host', host: 'h1', event: { type: 'COMMAND_FAILED', command: 'INSERT_USB', message: 'gone' } }]],
    ['a finished install', { type: 'host.installed', host: 'h1' }, [{ to: 'installed', host: 'h1' }]],
    ['a lab command', { type: 'lab.command', name: 'CHECK', role: 'solo' }, [{ to: 'lab', event: { type: 'CHECK' } }]],
    ['the hosts handed over to the site', { type: 'lab.command', name: 'HAND_OFF', role: 'it-ops' }, [{ to: 'lab', event: { type: 'HAND_OFF' } }]],
    ['an assignment to the VM Palette knows by ID', { type: 'palette.host.assigned', hostId: 'edge-abc', cluster: 'c1' },
      [{ to: 'host', host: 'edge-host-1', event: { type: 'ASSIGNED', cluster: 'c1' } }]],
    ['a provisioning step to the host and its cluster', { type: 'palette.host.provisioning', hostId: 'edge-abc', cluster: 'c1', step: 'node-ready' },
      [{ to: 'host', host: 'edge-host-1', event: { type: 'PROVISIONING_STEP', step: 'node-ready' } }, { to: 'cluster', cluster: 'c1', event: { type: 'NODE_READY', host: 'edge-abc' } }]],
    ['a host this lab has no VM for: only its cluster hears', { type: 'palette.host.provisioning', hostId: 'edge-zzz', cluster: 'c1', step: 'image-pulled' },
      [{ to: 'cluster', cluster: 'c1', event: { type: 'IMAGE_PULLED' } }]],
    ['an unknown provisioning step: nothing', { type: 'palette.host.provisioning', hostId: 'edge-abc', cluster: 'c1', step: 'dancing' }, []],
    ['a new cluster', { type: 'palette.cluster.created', name: 'c1', nodeCount: 3 }, [{ to: 'new-cluster', cluster: 'c1', nodeCount: 3 }]],
    ['a deleted cluster', { type: 'palette.cluster.deleted', name: 'c1' }, [{ to: 'cluster', cluster: 'c1', event: { type: 'DELETED' } }, { to: 'forget-cluster', cluster: 'c1' }]],
    ['a cluster Palette started deleting', { type: 'palette.cluster.status', name: 'c1', status: 'Deleting', health: null }, [{ to: 'cluster', cluster: 'c1', event: { type: 'DELETING' } }]],
    ['another cluster status', { type: 'palette.cluster.status', name: 'c1', status: 'Running', health: 'Healthy' }, []],
    ['a reset of the whole lab', { type: 'lab.reset' }, [{ to: 'reset' }]],
    ['a Palette fact no chart models', { type: 'palette.token.created', name: 't', project: 'Default' }, []],
  ])('%s', (_label, entry, expected) => {
    expect(routeEntry(entry, vmOf)).toEqual(expected);
  });
});
