import { describe, expect, it } from 'vitest';
import { GUEST_LINE_MAX, LabClient } from './lab-client';

describe('LabClient.run', () => {
  it('refuses a command longer than the guest shell keeps on one line, before typing anything', async () => {
    // No server listens on port 1: a refusal that tried to connect or type would fail differently.
    const client = new LabClient('http://127.0.0.1:1', { labId: 'lab-x', role: 'solo', token: 't', sessionSecret: null, expiresAt: 0 });
    const long = `echo ${'x'.repeat(GUEST_LINE_MAX)}`;
    await expect(client.run('edge-host-1', long)).rejects.toThrow(/^\[lab-client\] a console command must fit one line of 1023 characters with the end marker; this one has \d+: define shell functions/);
  });
});
