/** Failures of the lab runtime; messages start with `[lab]` and say what to do. */
export type LabErrorCode = 'unknown-host' | 'unknown-installer' | 'not-allowed' | 'bad-command' | 'closed' | 'unknown-scenario' | 'invalid-user-data' | 'queued';

export class LabError extends Error {
  constructor(readonly code: LabErrorCode, message: string) {
    super(`[lab] ${message}`);
    this.name = 'LabError';
  }
}
