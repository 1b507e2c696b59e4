// What someone at a guest's console can make the lab's store hold through the agent endpoint:
// answers to made-up host IDs are remembered and logged for a bounded few (agent-answers.ts), and
// edge host records stop at the lab's cap (host-limit.ts), for the agent and for Add Edge Hosts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UNKNOWN_ANSWER_HOLD_MS, UNKNOWN_ANSWER_SLOTS } from './agent-answers';
import { HOST_LIMIT_MESSAGE, MAX_EDGE_HOSTS } from './host-limit';
import { createPaletteHttp } from './http/page-http';
import { agentBody, keyOf, LAB, openKit, registerHosts, STORES, withToken, type Kit } from './test-kit';

const macOf = (i: number): string => `52:54:00:b0:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 0xff).toString(16).padStart(2, '0')}`;

describe.each(STORES)('what the agent endpoint can make Palette keep (%s store)', (kind) => {
  let kit: Kit;
  let token: string;
  beforeEach(async () => {
    kit = await openKit(kind);
    token = await withToken(kit.palette);
    kit.takeTypes();
  });
  afterEach(async () => { await kit.dispose(); });

  const answers = async () => (await kit.store.list(LAB, 'agent-answer')).map((d) => d.id);
  const refusedIds = async () => (await kit.store.eventsSince(LAB, 0)).filter((e) => e.type === 'palette.host.refused').map((e) => (e.payload as { hostId: string }).hostId);
  const beat = (id: string, hostKey?: string) => kit.palette.hosts.agentHeartbeat(id, { hostId: id }, hostKey === undefined ? {} : { hostKey });

  it(`remembers and logs at most ${UNKNOWN_ANSWER_SLOTS} made-up IDs out of 1,000 heartbeats, and as many again once their hold time is over`, async () => {
    for (let i = 0; i < 1000; i++) {
      expect(await beat(`made-up-${i}`)).toMatchObject({ status: 'refused', code: 'host-unknown' });
    }
    const first = Array.from({ length: UNKNOWN_ANSWER_SLOTS }, (_, i) => `made-up-${i}`);
    expect((await answers()).sort()).toEqual([...first].sort());
    expect(await refusedIds()).toEqual(first);
    expect(kit.events.filter((e) => e.type === 'palette.host.refused')).toHaveLength(UNKNOWN_ANSWER_SLOTS);

    kit.advance(UNKNOWN_ANSWER_HOLD_MS);
    for (let i = 1000; i < 2000; i++) await beat(`made-up-${i}`);
    const second = Array.from({ length: UNKNOWN_ANSWER_SLOTS }, (_, i) => `made-up-${1000 + i}`);
    expect((await answers()).sort()).toEqual([...second].sort());
    expect(await refusedIds()).toEqual([...first, ...second]);
  });

  it('bounds refused registrations and provisioning reports of made-up IDs the same way', async () => {
    for (let i = 0; i < 500; i++) {
      expect(await kit.palette.hosts.agentRegister(agentBody({ hostId: `reg-${i}`, token: 'wrong', mac: macOf(i) }))).toMatchObject({ status: 'refused', code: 'token-unknown' });
      expect(await kit.palette.hosts.agentProvisioning(`rep-${i}`, { hostId: `rep-${i}`, cluster: 'c', step: 'image-pulled' })).toMatchObject({ status: 'refused', code: 'host-unknown' });
    }
    expect(await answers()).toHaveLength(UNKNOWN_ANSWER_SLOTS);
    expect(await refusedIds()).toHaveLength(UNKNOWN_ANSWER_SLOTS);
    expect(await kit.palette.hosts.list()).toEqual([]);
  });

  it('still logs a real host\'s first refusal: a host whose record was deleted, then registers again', async () => {
    const key = (await registerHosts(kit.palette, token, 1))['edge-1']!;
    expect(await kit.palette.hosts.deleteHost('edge-1')).toEqual({ ok: true });
    kit.takeTypes();
    expect(await beat('edge-1', key)).toMatchObject({ status: 'refused', code: 'host-unknown' });
    expect(await beat('edge-1', key)).toMatchObject({ status: 'refused', code: 'host-unknown' });
    keyOf(await kit.palette.hosts.agentRegister(agentBody({ token })));
    expect(kit.takeTypes()).toEqual(['palette.host.refused', 'palette.host.registered']);
    // Registered, it holds no slot: made-up IDs still get all of them.
    for (let i = 0; i < 100; i++) await beat(`made-up-${i}`);
    expect((await answers()).filter((id) => id.startsWith('made-up-'))).toHaveLength(UNKNOWN_ANSWER_SLOTS);
  });

  it('logs hosts Palette has a record of whatever made-up IDs hold, and an unknown real host once a slot is free', async () => {
    for (let i = 0; i < 200; i++) await beat(`made-up-${i}`);
    kit.takeTypes();
    // An ID added by hand that no machine has claimed: it has a record, so it is not bounded.
    expect(await kit.palette.hosts.addHostId('edge-7')).toMatchObject({ ok: true });
    expect(await beat('edge-7')).toMatchObject({ status: 'refused', code: 'host-unknown' });
    expect(kit.takeTypes()).toEqual(['palette.host.added', 'palette.host.refused']);
    // A real host with no record while every slot is taken: answered, not logged yet...
    expect(await beat('edge-9')).toMatchObject({ status: 'refused', code: 'host-unknown' });
    expect(kit.takeTypes()).toEqual([]);
    // ...and logged at a retry once the made-up IDs' hold time is over.
    kit.advance(UNKNOWN_ANSWER_HOLD_MS);
    await beat('edge-9');
    await beat('edge-9');
    expect(kit.events.slice(-1)).toMatchObject([{ type: 'palette.host.refused', payload: { hostId: 'edge-9', code: 'host-unknown' } }]);
    expect(kit.takeTypes()).toEqual(['palette.host.refused']);
    expect(await answers()).toHaveLength(UNKNOWN_ANSWER_SLOTS + 1);
  });

  it(`refuses a registration that would create edge host ${MAX_EDGE_HOSTS + 1} with host-limit and writes no host`, async () => {
    const keys = await registerHosts(kit.palette, token, MAX_EDGE_HOSTS);
    kit.takeTypes();
    for (const autoRegister of [true, false]) {
      const r = await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-extra', token, mac: macOf(999), autoRegister }));
      expect(r).toMatchObject({ status: 'refused', code: 'host-limit', message: expect.stringMatching(/reached its limit of 64 edge hosts\. Delete hosts you no longer need in Clusters > Edge Hosts/) });
      expect(JSON.stringify(r)).not.toMatch(/\\"/);
    }
    expect(await kit.palette.hosts.get('edge-extra')).toBeUndefined();
    expect(await kit.palette.hosts.list()).toHaveLength(MAX_EDGE_HOSTS);
    // A loop of made-up IDs with the token: no host, and the refusals are bounded as above.
    for (let i = 0; i < 300; i++) await kit.palette.hosts.agentRegister(agentBody({ hostId: `loop-${i}`, token, mac: macOf(i) }));
    expect(await kit.palette.hosts.list()).toHaveLength(MAX_EDGE_HOSTS);
    expect((await answers()).filter((id) => !id.startsWith('edge-') || id === 'edge-extra')).toHaveLength(UNKNOWN_ANSWER_SLOTS);
    expect(kit.takeTypes()).toEqual(Array(UNKNOWN_ANSWER_SLOTS).fill('palette.host.refused'));
    // Hosts that have a record are not refused by the cap.
    expect(keyOf(await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-64', token, mac: '52:54:00:a0:00:64' })))).not.toBe(keys['edge-64']);
    // Once one is deleted, the new host registers.
    expect(await kit.palette.hosts.deleteHost('edge-1')).toEqual({ ok: true });
    expect(await kit.palette.hosts.agentRegister(agentBody({ hostId: 'edge-extra', token, mac: macOf(999) }))).toMatchObject({ status: 'registered' });
  });

  it(`refuses Add Edge Hosts of a new ID beyond ${MAX_EDGE_HOSTS} hosts, in the page API with 409, and adds none of a batch that does not fit`, async () => {
    const app = createPaletteHttp(kit.palette);
    const post = async (body: unknown) => {
      const res = await app.request('/v1/edgehosts', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const ids = Array.from({ length: MAX_EDGE_HOSTS - 2 }, (_, i) => `added-${i}`);
    expect(await post({ hostIds: ids })).toMatchObject({ status: 201 });
    const over = await post({ hostIds: ['added-0', 'new-a', 'new-b', 'new-c'] });
    expect(over).toEqual({
      status: 409,
      json: { error: 'conflict', message: `hostIds: ${HOST_LIMIT_MESSAGE}`, issues: [expect.objectContaining({ path: 'hostIds', code: 'host-limit', hint: expect.stringMatching(/adds 3 new IDs and there is room for 2 more; none was added/) })] },
    });
    expect(HOST_LIMIT_MESSAGE).toMatch(/limit of 64 edge hosts; delete hosts you no longer need in Clusters > Edge Hosts/);
    expect(await kit.palette.hosts.list()).toHaveLength(MAX_EDGE_HOSTS - 2);
    expect(await post({ hostIds: ['new-a', 'new-b'] })).toMatchObject({ status: 201 });
    expect(await post({ hostId: 'new-c' })).toMatchObject({ status: 409, json: { issues: [{ path: 'hostId', code: 'host-limit' }] } });
    // The Palette call itself refuses too (a request racing the page API's check meets this).
    expect(await kit.palette.hosts.addHostId('new-c')).toMatchObject({ ok: false, reason: 'conflict', message: `hostId: ${HOST_LIMIT_MESSAGE}`, issues: [{ code: 'host-limit' }] });
    // Adding an ID that is already there, with tags, is not refused.
    expect(await post({ hostIds: ['added-0'], tags: { site: 's1' } })).toMatchObject({ status: 201, json: { hosts: [{ hostId: 'added-0', tags: { site: 's1' } }] } });
    expect(await kit.palette.hosts.list()).toHaveLength(MAX_EDGE_HOSTS);
    expect(kit.takeTypes().filter((t) => t === 'palette.host.added')).toHaveLength(MAX_EDGE_HOSTS);
  });
});
