import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LabProvider, useLab, useLabState, useLabView } from './hooks';
import { fakeFetch } from './test-fakes';

describe('hooks during server-side rendering', () => {
  it('render the connecting state and touch neither the network nor storage', () => {
    const fetch = fakeFetch(() => 'unreachable');
    function Status() {
      const state = useLabState();
      const view = useLabView();
      return createElement('p', null, `${state.session.status}/${state.connection.status}/${view === null ? 'no view' : 'view'}`);
    }
    function Page() {
      const { lab } = useLab({ scenario: 'single-node', fetch });
      return createElement(LabProvider, { lab }, createElement(Status));
    }
    expect(renderToString(createElement(Page))).toBe('<p>connecting/idle/no view</p>');
    expect(fetch.calls).toHaveLength(0);
  });

  it('say clearly when a lab hook is used outside LabProvider', () => {
    function Lonely() {
      useLabView();
      return null;
    }
    expect(() => renderToString(createElement(Lonely))).toThrow(/^\[lab-client\] this component uses the lab outside <LabProvider>/);
  });
});
