import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LabView } from '../../../simulator/pure/protocol';
import { PhaseProgress } from './PhaseProgress';

const view = (over: Partial<LabView> = {}): LabView => ({
  state: { installHandoff: 'creatingToken' }, label: '', tags: [], allowed: ['CHECK', 'RESTART'], at: 0, hosts: {}, clusters: {},
  data: { step: { label: 'Create a registration token', role: 'tenant-admin' }, lastFailure: { message: 'There is no valid registration token.' } },
  phases: [
    { id: 'model-profile', label: 'Model Cluster Profile', status: 'done' },
    { id: 'install-handoff', label: 'Install Handoff', status: 'active' },
    { id: 'registration', label: 'Registration', status: 'pending' },
    { id: 'cluster-provisioning', label: 'Cluster Provisioning', status: 'pending' },
  ],
  ...over,
});

describe('PhaseProgress', () => {
  it('shows each phase with its status, the step to do now and its role, and the last failed check', () => {
    const html = renderToString(createElement(PhaseProgress, { view: view(), onCheck: () => {} }));
    expect(html).toMatch(/data-phase="model-profile" data-status="done"/);
    expect(html).toMatch(/data-phase="install-handoff" data-status="active"/);
    expect(html).toContain('Create a registration token');
    expect(html).toContain('tenant-admin');
    expect(html).toContain('There is no valid registration token.');
    expect(html).toContain('Check my work');
  });

  it('offers no check the view does not allow, and says when every phase is done', () => {
    const html = renderToString(createElement(PhaseProgress, { view: view({ allowed: ['RESTART'], data: { step: null } }), onCheck: () => {} }));
    expect(html).not.toContain('Check my work');
    expect(html).toContain('All four phases are done.');
  });
});
