/** Failures of lab checkpoints: making, caching or putting one back. Messages start `[checkpoint]`. */
export type CheckpointErrorCode = 'io' | 'not-found' | 'build-failed';

export class CheckpointError extends Error {
  constructor(readonly code: CheckpointErrorCode, message: string, options?: ErrorOptions) {
    super(`[checkpoint] ${message}`, options);
    this.name = 'CheckpointError';
  }
}
