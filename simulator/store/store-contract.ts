// The behaviour every LabStore must have, as a vitest suite: run it against each implementation
// (`describeLabStoreContract('sqlite', (deps) => openSqliteStore(...))`). The suite injects the
// clock and the id generator, and closes each store it made.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConflictError, StoreError, StoreExistsError, StoreNotFoundError } from './errors';
import type { LabStore, LabStoreOps, StoreDeps } from './types';

export function describeLabStoreContract(name: string, make: (deps: StoreDeps) => LabStore | Promise<LabStore>): void {
  describe(`LabStore contract: ${name}`, () => {
    let t = 0;
    let ids = 0;
    let store: LabStore;
    const deps: StoreDeps = { now: () => new Date(t), newId: () => `id-${++ids}` };
    const code = (c: string) => expect.objectContaining({ code: c, message: expect.stringMatching(/^\[store\] /) });

    beforeEach(async () => {
      t = 1_700_000_000_000;
      ids = 0;
      store = await make(deps);
    });
    afterEach(async () => { await store.close().catch(() => undefined); });

    describe('labs', () => {
      it('creates labs with defaults from the injected clock and ids, and lists them oldest first', async () => {
        const a = await store.createLab({ scenario: 'single-node' });
        expect(a).toEqual({ id: 'id-1', scenario: 'single-node', role: null, createdAt: t, lastSeq: 0 });
        await store.createLab({ id: 'early', scenario: 'two-node', role: 'it-ops', createdAt: t - 5 });
        expect(await store.getLab('early')).toEqual({ id: 'early', scenario: 'two-node', role: 'it-ops', createdAt: t - 5, lastSeq: 0 });
        expect((await store.listLabs()).map((l) => l.id)).toEqual(['early', 'id-1']);
        expect(await store.getLab('nope')).toBeUndefined();
      });

      it('refuses a taken id and invalid fields', async () => {
        await store.createLab({ id: 'lab', scenario: 's' });
        await expect(store.createLab({ id: 'lab', scenario: 's' })).rejects.toBeInstanceOf(StoreExistsError);
        await expect(store.createLab({ id: '', scenario: 's' })).rejects.toEqual(code('invalid'));
        await expect(store.createLab({ id: 'x', scenario: 's', createdAt: -1 })).rejects.toEqual(code('invalid'));
      });

      it('deletes a lab with its events and documents; per-lab calls then fail with not-found', async () => {
        await store.createLab({ id: 'lab', scenario: 's' });
        await store.append('lab', { type: 'e', payload: 1 });
        await store.put('lab', 'project', 'p', { name: 'p' });
        expect(await store.deleteLab('lab')).toBe(true);
        expect(await store.deleteLab('lab')).toBe(false);
        for (const call of [
          () => store.append('lab', { type: 'e', payload: 1 }), () => store.eventsSince('lab', 0),
          () => store.put('lab', 'project', 'p', {}), () => store.get('lab', 'project', 'p'),
          () => store.list('lab', 'project'), () => store.remove('lab', 'project', 'p'),
        ]) await expect(call()).rejects.toBeInstanceOf(StoreNotFoundError);
        await store.createLab({ id: 'lab', scenario: 's' });
        expect(await store.eventsSince('lab', 0)).toEqual([]);
        expect(await store.get('lab', 'project', 'p')).toBeUndefined();
      });

      it('deletes only the lab named: other labs keep their events and documents', async () => {
        for (const id of ['gone', 'kept']) {
          await store.createLab({ id, scenario: 's' });
          await store.append(id, { type: 'e', payload: id });
          await store.put(id, 'installer', 'i', { of: id });
        }
        expect(await store.deleteLab('gone')).toBe(true);
        expect((await store.listLabs()).map((l) => l.id)).toEqual(['kept']);
        expect((await store.eventsSince('kept', 0)).map((e) => e.payload)).toEqual(['kept']);
        expect((await store.get('kept', 'installer', 'i'))?.doc).toEqual({ of: 'kept' });
      });
    });

    describe('event log', () => {
      beforeEach(async () => {
        await store.createLab({ id: 'a', scenario: 's' });
        await store.createLab({ id: 'b', scenario: 's' });
      });

      it('numbers events 1, 2, 3… per lab and stamps them with the clock', async () => {
        expect(await store.append('a', { type: 'x', payload: { n: 1 } })).toEqual({ seq: 1, at: t });
        t += 10;
        expect(await store.append('a', { type: 'y', payload: null })).toEqual({ seq: 2, at: t });
        expect(await store.append('b', { type: 'z', payload: [1] })).toEqual({ seq: 1, at: t });
        expect((await store.getLab('a'))!.lastSeq).toBe(2);
        expect(await store.eventsSince('a', 0)).toEqual([
          { labId: 'a', seq: 1, at: t - 10, type: 'x', payload: { n: 1 } },
          { labId: 'a', seq: 2, at: t, type: 'y', payload: null },
        ]);
      });

      it('gives strictly increasing seqs to concurrent appends', async () => {
        const seqs = await Promise.all(Array.from({ length: 40 }, (_, i) => store.append('a', { type: 'n', payload: i })));
        expect(seqs.map((s) => s.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        const events = await store.eventsSince('a', 0);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      });

      it('returns the events after a seq, in order, paged by limit', async () => {
        for (let i = 1; i <= 7; i++) await store.append('a', { type: 'n', payload: i });
        expect((await store.eventsSince('a', 4)).map((e) => e.payload)).toEqual([5, 6, 7]);
        expect((await store.eventsSince('a', 2, 3)).map((e) => e.seq)).toEqual([3, 4, 5]);
        expect(await store.eventsSince('a', 7)).toEqual([]);
        expect(await store.eventsSince('a', 99)).toEqual([]);
        await expect(store.eventsSince('a', -1)).rejects.toEqual(code('invalid'));
        await expect(store.eventsSince('a', 0, 0)).rejects.toEqual(code('invalid'));
      });

      it('stores payloads as JSON copies and refuses what JSON cannot hold', async () => {
        const payload = { when: new Date(5), list: [1, { deep: true }], skip: undefined };
        await store.append('a', { type: 'j', payload });
        payload.list.push(2);
        const [e] = await store.eventsSince('a', 0);
        expect(e!.payload).toEqual({ when: new Date(5).toISOString(), list: [1, { deep: true }] });
        await expect(store.append('a', { type: 'j', payload: undefined })).rejects.toEqual(code('invalid'));
        await expect(store.append('a', { type: 'j', payload: { n: 1n } })).rejects.toEqual(code('invalid'));
        await expect(store.append('a', { type: '', payload: 1 })).rejects.toEqual(code('invalid'));
        expect((await store.getLab('a'))!.lastSeq).toBe(1);
      });
    });

    describe('documents', () => {
      beforeEach(async () => { await store.createLab({ id: 'a', scenario: 's' }); });

      it('creates at version 1, bumps the version on every put, and returns copies', async () => {
        const created = await store.put('a', 'edge-host', 'h1', { status: 'Ready' });
        expect(created).toEqual({ labId: 'a', kind: 'edge-host', id: 'h1', version: 1, doc: { status: 'Ready' }, createdAt: t, updatedAt: t });
        t += 7;
        const updated = await store.put('a', 'edge-host', 'h1', { status: 'In-Use' });
        expect(updated).toMatchObject({ version: 2, createdAt: t - 7, updatedAt: t });
        const read = await store.get<{ status: string }>('a', 'edge-host', 'h1');
        read!.doc.status = 'changed by the caller';
        expect((await store.get('a', 'edge-host', 'h1'))!.doc).toEqual({ status: 'In-Use' });
        expect(await store.get('a', 'edge-host', 'h2')).toBeUndefined();
      });

      it('lists one kind of one lab, by id', async () => {
        await store.createLab({ id: 'b', scenario: 's' });
        await store.put('a', 'token', 't2', 2);
        await store.put('a', 'token', 't1', 1);
        await store.put('a', 'project', 'p', 'p');
        await store.put('b', 'token', 't0', 0);
        expect((await store.list('a', 'token')).map((d) => [d.id, d.doc])).toEqual([['t1', 1], ['t2', 2]]);
        expect(await store.list('a', 'cluster')).toEqual([]);
        await expect(store.list('a', 'Bad Kind')).rejects.toEqual(code('invalid'));
      });

      it('enforces expectedVersion on put and remove with a typed conflict', async () => {
        await store.put('a', 'cluster', 'c', { n: 1 }, { expectedVersion: 0 });
        const conflict = await store.put('a', 'cluster', 'c', { n: 9 }, { expectedVersion: 0 }).catch((e: unknown) => e);
        expect(conflict).toBeInstanceOf(StoreConflictError);
        expect(conflict).toMatchObject({ code: 'conflict', labId: 'a', kind: 'cluster', id: 'c', expectedVersion: 0, actualVersion: 1 });
        expect(await store.put('a', 'cluster', 'c', { n: 2 }, { expectedVersion: 1 })).toMatchObject({ version: 2 });
        await expect(store.put('a', 'cluster', 'c', { n: 3 }, { expectedVersion: 1 })).rejects.toBeInstanceOf(StoreConflictError);
        await expect(store.remove('a', 'cluster', 'c', { expectedVersion: 1 })).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.get('a', 'cluster', 'c'))!.doc).toEqual({ n: 2 });
        expect(await store.remove('a', 'cluster', 'c', { expectedVersion: 2 })).toBe(true);
        expect(await store.remove('a', 'cluster', 'c')).toBe(false);
        await expect(store.put('a', 'cluster', 'c', {}, { expectedVersion: 2 })).rejects.toMatchObject({ actualVersion: 0 });
        await expect(store.put('a', 'cluster', 'c', {}, { expectedVersion: -1 })).rejects.toEqual(code('invalid'));
      });
    });

    describe('transactions', () => {
      beforeEach(async () => { await store.createLab({ id: 'a', scenario: 's' }); });

      it('commits every step together and returns the callback result', async () => {
        const result = await store.transaction(async (tx) => {
          await tx.put('a', 'edge-host', 'h', { status: 'Ready' });
          return tx.append('a', { type: 'host.registered', payload: { id: 'h' } });
        });
        expect(result).toEqual({ seq: 1, at: t });
        expect(await store.get('a', 'edge-host', 'h')).toMatchObject({ version: 1 });
      });

      it('rolls everything back and rethrows when the callback throws', async () => {
        await store.put('a', 'project', 'p', { v: 1 });
        await store.append('a', { type: 'before', payload: null });
        const boom = new Error('boom');
        await expect(store.transaction(async (tx) => {
          await tx.put('a', 'project', 'p', { v: 2 });
          await tx.put('a', 'project', 'q', { v: 1 });
          await tx.append('a', { type: 'lost', payload: null });
          await tx.createLab({ id: 'b', scenario: 's' });
          await tx.deleteLab('a');
          throw boom;
        })).rejects.toBe(boom);
        expect((await store.get('a', 'project', 'p'))!.doc).toEqual({ v: 1 });
        expect(await store.get('a', 'project', 'q')).toBeUndefined();
        expect(await store.getLab('b')).toBeUndefined();
        expect((await store.eventsSince('a', 0)).map((e) => e.type)).toEqual(['before']);
        expect(await store.append('a', { type: 'after', payload: null })).toMatchObject({ seq: 2 });
      });

      it('makes other calls wait for the transaction, and refuses the store inside it', async () => {
        let release!: () => void;
        const held = new Promise<void>((r) => { release = r; });
        const order: string[] = [];
        const tx = store.transaction(async (t1) => {
          await t1.put('a', 'token', 'k', { state: 'inside' });
          await expect(store.get('a', 'token', 'k')).rejects.toEqual(code('in-transaction'));
          await held;
          order.push('tx');
        });
        const outside = store.get('a', 'token', 'k').then((d) => { order.push('read'); return d; });
        await new Promise((r) => setTimeout(r, 20));
        release();
        await tx;
        expect((await outside)!.doc).toEqual({ state: 'inside' });
        expect(order).toEqual(['tx', 'read']);
      });

      it('refuses a tx handle once its transaction has ended', async () => {
        let kept: LabStoreOps | undefined;
        await store.transaction(async (tx) => { kept = tx; });
        await expect(kept!.getLab('a')).rejects.toEqual(code('transaction-ended'));
      });
    });

    it('refuses calls after close', async () => {
      await store.close();
      await expect(store.getLab('a')).rejects.toBeInstanceOf(StoreError);
      await expect(store.listLabs()).rejects.toEqual(code('closed'));
    });
  });
}
