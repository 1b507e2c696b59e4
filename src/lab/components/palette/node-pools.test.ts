import { describe, expect, it } from 'vitest';
import type { ClusterView, EdgeHostRow } from '../../../../simulator/pure/palette/views';
import { poolChoices } from './node-pools';

const row = (hostId: string, status: EdgeHostRow['status'], health: EdgeHostRow['health'] = 'Healthy', project = 'Default') => ({ hostId, status, health, project }) as EdgeHostRow;
const node = (hostId: string, role: 'control-plane' | 'worker') => ({ hostId, nodeName: hostId, role, lanIp: '', step: 'node-ready' as const, failure: null });
const cluster = (status: ClusterView['status']) => ({
  status, project: 'Default',
  nodes: [node('cp-1', 'control-plane'), node('cp-2', 'control-plane'), node('cp-3', 'control-plane'), node('w-1', 'worker')],
});

describe('poolChoices', () => {
  const hosts = [row('cp-1', 'In-Use'), row('cp-2', 'In-Use', 'Unhealthy'), row('cp-3', 'In-Use'), row('w-1', 'In-Use'),
    row('spare', 'Ready'), row('elsewhere', 'Ready', 'Healthy', 'Other'), row('new', 'Unpaired', null)];

  it('offers the Ready hosts of the cluster\'s project, the workers, and the Unhealthy control plane first', () => {
    expect(poolChoices(cluster('Running'), hosts)).toEqual({ ready: ['spare'], workers: ['w-1'], controlPlanes: ['cp-2', 'cp-1', 'cp-3'], editable: true });
  });

  it('is not editable unless Running', () => {
    expect(poolChoices(cluster('Provisioning'), hosts).editable).toBe(false);
    expect(poolChoices(cluster('Deleting'), hosts).editable).toBe(false);
  });
});
