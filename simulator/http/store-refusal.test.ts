import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { finish } from '../palette/http/common';
import { StoreBusyError, StoreError, StoreFullError, StoreNotFoundError } from '../store/errors';
import { storeRefusal } from './store-refusal';

describe('storeRefusal', () => {
  it('answers a store that fails for a while with 503, its words and Retry-After', () => {
    expect(storeRefusal(new StoreFullError('/data/lab.db'))).toEqual({
      status: 503,
      body: { error: 'store-full', message: expect.stringMatching(/^\[store\] the disk holding \/data\/lab\.db is full.*Nothing was changed; try again/) },
      headers: { 'retry-after': '5' },
    });
    expect(storeRefusal(new StoreBusyError('/data/lab.db'))?.body.error).toBe('store-busy');
    expect(storeRefusal(new StoreError('io', 'disk I/O error'))?.body.error).toBe('store-io');
  });

  it('leaves other failures to their own handlers', () => {
    expect(storeRefusal(new StoreNotFoundError('lab-1'))).toBeNull();
    expect(storeRefusal(new Error('boom'))).toBeNull();
  });

  it('is what the simulated Palette answers when its store is full, instead of a 500 "see its log"', async () => {
    const app = new Hono();
    app.post('/v1/clusters', () => { throw new StoreFullError('/data/lab.db'); });
    finish(app);
    const r = await app.request('/v1/clusters', { method: 'POST' });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(await r.json()).toMatchObject({ error: 'store-full', message: expect.stringMatching(/disk holding \/data\/lab\.db is full/) });
  });
});
