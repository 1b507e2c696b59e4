import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LabView } from '../../../simulator/pure/protocol';
import { viewForRole } from '../../../simulator/pure/roles/may';
import type { LabRole } from '../../../simulator/pure/roles/vocabulary';
import { HAND_OFF_BUTTON, handoffOffer } from './handoff';
import { HandoffNotice } from './HostHandoff';

const HANDED = { from: 'it-ops', to: 'site-technician', what: 'hosts' };

/** A lab view at step `path`, with custody and what the chart allows, as a solo reader gets it. */
const view = (path: string | null, custody: Record<string, unknown> | null, allowed: string[] = ['CHECK', 'RESTART']): LabView => ({
  state: 'x', label: '', tags: [], allowed, may: allowed, at: 0, hosts: {}, clusters: {}, phases: [],
  data: { step: path ? { path, label: '', role: 'it-ops' } : null, ...(custody ?? {}) } as LabView['data'],
});

/** What the page of a session with `role` shows: its view is the one the server narrowed for that role. */
const offer = (v: LabView, role: string | null) => handoffOffer(viewForRole(v, (role ?? 'solo') as LabRole), role);

const atHandoff = view('installHandoff.shippingHosts', { custody: 'it-ops', handoffs: [] }, ['CHECK', 'RESTART', 'HAND_OFF']);

describe('the hosts handoff offer', () => {
  it('offers the button at the handoff step to IT/Ops, solo and the trainer', () => {
    for (const role of ['it-ops', 'solo', 'trainer', null]) {
      expect(offer(atHandoff, role)).toEqual({
        custody: 'it-ops', words: 'The hosts are with IT/Ops on the staging bench.', atHandoff: true, canHandOff: true, waiting: null,
      });
    }
  });

  it('tells the other roles who holds the hosts and who hands them over', () => {
    expect(offer(atHandoff, 'site-technician')).toMatchObject({
      canHandOff: false, words: 'The hosts are with IT/Ops on the staging bench.', waiting: 'IT/Ops hands them over to the site next; you play Site technician.',
    });
    expect(offer(atHandoff, 'app-owner')).toMatchObject({ canHandOff: false, waiting: expect.stringMatching(/you play App owner\.$/) });
  });

  it('offers nothing before or after the handoff step, or when the view does not allow HAND_OFF', () => {
    expect(offer(view('installHandoff.installingHosts', { custody: 'it-ops', handoffs: [] }), 'it-ops')).toMatchObject({ atHandoff: false, canHandOff: false, waiting: null });
    expect(offer(view('installHandoff.shippingHosts', { custody: 'it-ops', handoffs: [] }), 'it-ops')).toMatchObject({ atHandoff: true, canHandOff: false });
    expect(offer(view('registration', { custody: 'site-technician', handoffs: [HANDED] }), 'it-ops')).toEqual({
      custody: 'site-technician', words: 'The hosts are with the Site technician at the site: IT/Ops handed them over.', atHandoff: false, canHandOff: false, waiting: null,
    });
    expect(offer(view(null, { custody: 'site-technician', handoffs: [HANDED] }), 'solo')?.canHandOff).toBe(false);
  });

  it('shows nothing for a view without custody', () => {
    expect(offer(view('installHandoff.shippingHosts', null, ['HAND_OFF']), 'solo')).toBeNull();
  });

  it('renders the button by its name only when it is offered, and custody always', () => {
    const offered = renderToString(createElement(HandoffNotice, { offer: offer(atHandoff, 'it-ops')!, onHandOff: () => {} }));
    expect(offered).toMatch(new RegExp(`<button[^>]*>${HAND_OFF_BUTTON}</button>`));
    expect(offered).toContain('data-custody="it-ops"');
    expect(offered).toContain('data-handoff-step="now"');
    const watching = renderToString(createElement(HandoffNotice, { offer: offer(atHandoff, 'site-technician')!, onHandOff: () => {} }));
    expect(watching).not.toContain('<button');
    expect(watching).toContain('IT/Ops hands them over to the site next');
    const busy = renderToString(createElement(HandoffNotice, { offer: offer(atHandoff, 'solo')!, onHandOff: () => {}, busy: true, problem: 'HAND_OFF was refused: no.' }));
    expect(busy).toMatch(/<button[^>]*disabled=""/);
    expect(busy).toContain('HAND_OFF was refused: no.');
  });
});
