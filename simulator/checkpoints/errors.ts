/** Failures of lab checkpoints: making, caching or putting one back. Messages start `[checkpoint]`. */
/** `disk-low`: the lab server's data directory is below its free-space floor, so none is made. */
export type CheckpointErrorCode = 'io' | 'not-found' | 'build-failed' | 'disk-low';

export class CheckpointError extends Error {
  constructor(readonly code: CheckpointErrorCode, message: string, options?: ErrorOptions) {
    super(`[checkpoint] ${message}`, options);
    this.name = 'CheckpointError';
  }
}
