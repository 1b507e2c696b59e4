/** Failures of the machine's limits (disk space); messages start with `[disk-space]` and say what to do. */
export type DiskSpaceErrorCode =
  /** Free space minus what the operation needs is below the floor. */
  | 'below-floor'
  /** The free space of the directory's filesystem could not be read (statfs failed: missing directory…). */
  | 'unreadable';

export class DiskSpaceError extends Error {
  override name = 'DiskSpaceError';
  constructor(
    readonly code: DiskSpaceErrorCode,
    /** The directory whose filesystem was checked. */
    readonly dir: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`[disk-space] ${message}`, options);
  }
}
