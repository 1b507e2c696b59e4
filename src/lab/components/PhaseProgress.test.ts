import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LabView } from '../../../simulator/pure/protocol';
import { PhaseProgress, showMeWords, type ShowMeState } from './PhaseProgress';

const view = (over: Partial<LabView> = {}): LabView => ({
  state: { installHandoff: 'creatingToken' }, label: '', tags: [], allowed: ['CHECK', 'RESTART'], may: ['CHECK', 'RESTART'], at: 0, hosts: {}, clusters: {},
  data: { step: { path: 'installHandoff.creatingToken', label: 'Create a registration token', role: 'tenant-admin' }, lastFailure: { message: 'There is no valid registration token.' } },
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
    const html = renderToString(createElement(PhaseProgress, { view: view({ allowed: ['RESTART'], may: ['RESTART'], data: { step: null } }), onCheck: () => {} }));
    expect(html).not.toContain('Check my work');
    expect(html).toContain('All four phases are done.');
  });

  it('offers Show me beside Check my work, described by what the reader would do by hand', () => {
    const showMe = { byHand: 'In Tenant Settings → Registration Tokens, create the token edge-lab-token.', state: { status: 'idle' } as ShowMeState, onShowMe: () => {} };
    const html = renderToString(createElement(PhaseProgress, { view: view(), onCheck: () => {}, showMe }));
    const button = /<button[^>]*data-show-me-button[^>]*>Show me<\/button>/.exec(html)?.[0] ?? '';
    expect(button).not.toContain('disabled');
    const describedBy = /aria-describedby="([^"]+)"/.exec(button)?.[1];
    expect(html).toContain(`id="${describedBy}" class`);
    expect(html).toContain('By hand: In Tenant Settings → Registration Tokens, create the token edge-lab-token.');
    expect(html.indexOf('Check my work')).toBeLessThan(html.indexOf('Show me'));
    expect(html).toMatch(/<p role="status"[^>]*data-show-me="idle"><\/p>/);
  });

  it('says what Show me is doing and how it went, and holds the button while it works', () => {
    const doing = renderToString(createElement(PhaseProgress, {
      view: view(), showMe: { byHand: 'x.', state: { status: 'doing', label: 'Create a registration token' }, onShowMe: () => {} },
    }));
    expect(doing).toMatch(/<button[^>]*disabled=""[^>]*>Show me<\/button>/);
    expect(doing).toContain('Doing it for you: Create a registration token…');
    expect(showMeWords({ status: 'done', label: 'Build the Edge Installer', detail: 'inst-1' })).toBe('Done for you: Build the Edge Installer. (inst-1)');
    expect(showMeWords({ status: 'done', label: 'Install the hosts from the USB stick', detail: '' })).toBe('Done for you: Install the hosts from the USB stick.');
    const failed = renderToString(createElement(PhaseProgress, {
      view: view(), showMe: { byHand: 'x.', state: { status: 'failed', label: 'Build the Edge Installer', message: 'Palette has no valid registration token yet.' }, onShowMe: () => {} },
    }));
    expect(failed).toContain('Could not do “Build the Edge Installer” for you: Palette has no valid registration token yet.');
    expect(failed).toMatch(/data-show-me="failed"/);
  });

  it('offers no Show me when there is nothing to show', () => {
    expect(renderToString(createElement(PhaseProgress, { view: view(), onCheck: () => {} }))).not.toContain('Show me');
  });
});
