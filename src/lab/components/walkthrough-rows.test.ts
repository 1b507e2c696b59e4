import { describe, expect, it } from 'vitest';
import type { MemberList } from '../client/trainer-desk';
import { walkthroughRows } from './walkthrough-rows';

const AT = 1_750_000_000_000;
const held = (code: string, expiresAt = AT) => ({ code, expiresAt });
const list = (over: Partial<MemberList> = {}): MemberList => ({
  members: [],
  invites: { 'app-owner': { state: 'open', expiresAt: AT }, 'tenant-admin': { state: 'open', expiresAt: AT }, 'it-ops': { state: 'open', expiresAt: AT }, 'site-technician': { state: 'open', expiresAt: AT } },
  ...over,
});
const row = (rows: ReturnType<typeof walkthroughRows>, role: string) => rows.find((r) => r.role === role)!;

describe('walkthroughRows', () => {
  it('lists the four roles in the lifecycle\'s order, linking the codes this page holds before the server answers', () => {
    const rows = walkthroughRows({ 'it-ops': held('c-ops') }, null);
    expect(rows.map((r) => r.role)).toEqual(['app-owner', 'tenant-admin', 'it-ops', 'site-technician']);
    expect(rows.map((r) => r.name)).toEqual(['App owner', 'Tenant admin', 'IT/Ops', 'Site technician']);
    expect(row(rows, 'it-ops')).toMatchObject({ invite: 'c-ops', status: 'Not used yet.', members: [] });
    expect(row(rows, 'app-owner')).toMatchObject({ invite: null, status: 'Loading…' });
  });

  it('stops linking a used invite and shows who it seated', () => {
    const rows = walkthroughRows({ 'it-ops': held('c-ops') }, list({
      members: [{ memberId: 'm1', role: 'it-ops', joinedAt: AT - 5, lastUsedAt: AT }],
      invites: { ...list().invites, 'it-ops': { state: 'used', expiresAt: AT, usedAt: AT - 5, memberId: 'm1' } },
    }));
    expect(row(rows, 'it-ops')).toEqual({ role: 'it-ops', name: 'IT/Ops', invite: null, status: 'Link used: it seated the person below.', members: [{ memberId: 'm1', joinedAt: AT - 5 }] });
  });

  it('says when the person a used link seated was removed, and when a link expired unused', () => {
    const rows = walkthroughRows({}, list({ invites: { ...list().invites, 'it-ops': { state: 'used', expiresAt: AT, usedAt: AT, memberId: 'm1' }, 'app-owner': { state: 'expired', expiresAt: AT } } }));
    expect(row(rows, 'it-ops').status).toMatch(/^Link used; that person was removed\. Make a new link/);
    expect(row(rows, 'app-owner')).toMatchObject({ invite: null, status: 'Link expired unused: make a new one.' });
  });

  it('does not link a held code that a newer link (made on another page) replaced', () => {
    const rows = walkthroughRows({ 'it-ops': held('c-old', AT - 1000), 'app-owner': held('c-owner') }, list());
    expect(row(rows, 'it-ops')).toMatchObject({ invite: null, status: expect.stringMatching(/^A link is out but not shown here.*make a new one to see it/) });
    expect(row(rows, 'app-owner')).toMatchObject({ invite: 'c-owner', status: 'Not used yet.' });
  });

  it('asks for a first link where a role has none', () => {
    const { 'site-technician': _gone, ...rest } = list().invites;
    expect(row(walkthroughRows({}, list({ invites: rest })), 'site-technician')).toMatchObject({ invite: null, status: 'No link yet: make one.' });
  });
});
