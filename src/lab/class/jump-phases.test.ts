import { describe, expect, it } from 'vitest';
import { durationWords, isJumpPhase, JUMP_PHASES, jumpPhaseLabel, jumpSettled, jumpWords, mayJumpOwnLab } from './jump-phases';

describe('jump phases', () => {
  it('lists the four phases and the end, with their labels', () => {
    expect(JUMP_PHASES).toEqual(['modelProfile', 'installHandoff', 'registration', 'clusterProvisioning', 'done']);
    expect(JUMP_PHASES.map(jumpPhaseLabel)).toEqual(['Model Cluster Profile', 'Install Handoff', 'Registration', 'Cluster Provisioning', 'Cluster running']);
    expect(isJumpPhase('registration')).toBe(true);
    expect(isJumpPhase('verify')).toBe(false);
  });
  it('lets solo readers and trainers jump their own lab, no one else', () => {
    expect(['solo', 'trainer', 'it-ops', null].map(mayJumpOwnLab)).toEqual([true, true, false, false]);
  });
  it('says what a jump is doing and how it ended', () => {
    expect(jumpWords({ status: 'idle' })).toBe('');
    expect(jumpWords({ status: 'jumping', phase: 'registration' })).toMatch(/^Jumping to Registration…/);
    const done = jumpSettled('registration', { ok: true, status: 200, value: { ok: true, phase: 'registration', ms: 41_234, built: false } });
    expect(jumpWords(done)).toBe('At the start of Registration (took 41.2 s).');
    expect(jumpWords(jumpSettled('done', { ok: true, status: 200, value: { ok: true, phase: 'done', ms: 800, built: false } }))).toBe('The cluster is Running (took 800 ms).');
    const refused = jumpSettled('done', { ok: false, status: 403, code: 'role-forbidden', message: '[roles] only the trainer may jump', issues: [] });
    expect(jumpWords(refused)).toBe('The jump to Cluster running failed: [roles] only the trainer may jump');
    expect(durationWords(1500)).toBe('1.5 s');
  });
});
