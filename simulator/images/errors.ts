/** Image build failures: what failed, and the command to fix it when we know one. */
export class ImageBuildError extends Error {
  override name = 'ImageBuildError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(`[images] ${message}`, options);
  }
}
