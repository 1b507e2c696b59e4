import { afterEach, describe, expect, it } from 'vitest';
import { openKit, STORES, type Kit } from './test-kit';

describe.each(STORES)('the registry drill on the %s store', (kind) => {
  let kit: Kit;
  afterEach(async () => { await kit.dispose(); });

  it('damages a provider image until it is pushed again, logs both, and refuses what does not fit', async () => {
    kit = await openKit(kind);
    const digest = `sha256:${kit.blob.sha256}`;
    expect(await kit.palette.registry.images()).toEqual([{ repository: 'edge-lab-provider', digest, size: kit.blob.size, damaged: false, damagedAt: null }]);
    expect(await kit.palette.registry.isDamaged('edge-lab-provider')).toBe(false);

    const damaged = await kit.palette.registry.damage('edge-lab-provider');
    expect(damaged).toEqual({ ok: true, image: { repository: 'edge-lab-provider', digest, size: kit.blob.size, damaged: true, damagedAt: kit.clock.now } });
    expect(await kit.palette.registry.isDamaged('edge-lab-provider')).toBe(true);
    expect(kit.takeTypes()).toEqual(['palette.registry.damaged']);
    const again = await kit.palette.registry.damage('edge-lab-provider');
    expect(again).toMatchObject({ ok: false, reason: 'conflict', issues: [{ code: 'already-damaged' }] });

    // A restarted simulator (another Palette on the same store) sees the damage still there.
    const { palette: restarted } = await kit.second();
    expect((await restarted.registry.images())[0]).toMatchObject({ damaged: true, damagedAt: kit.clock.now });
    expect(await restarted.registry.pushAgain('edge-lab-provider')).toMatchObject({ ok: true, image: { damaged: false, damagedAt: null } });
    expect(await kit.palette.registry.isDamaged('edge-lab-provider')).toBe(false);
    expect(await kit.palette.registry.pushAgain('edge-lab-provider')).toMatchObject({ ok: false, reason: 'conflict', issues: [{ code: 'not-damaged' }] });

    const unknown = await kit.palette.registry.damage('edge-lab-nothing');
    expect(unknown).toMatchObject({ ok: false, reason: 'not-found', issues: [{ path: 'repository', hint: expect.stringContaining('edge-lab-provider') }] });
    expect(kit.takeTypes()).toEqual([]);
  });
});
