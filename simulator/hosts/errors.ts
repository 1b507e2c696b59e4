/** Typed failures of an edge host operation; messages say what to do. */
export class HostError extends Error {
  override name = 'HostError';
  constructor(readonly code: HostErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[simulator:host] ${message}`, options);
  }
}

export type HostErrorCode =
  | 'already-on'
  | 'not-off'
  | 'not-on'
  | 'not-paused'
  | 'no-usb-stick'
  | 'usb-already-inserted'
  | 'usb-image-missing'
  | 'checkpoint-failed'
  | 'checkpoint-missing'
  | 'timeout';
