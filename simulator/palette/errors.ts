// Typed failures of the simulated Palette. Refusals a user can act on (an invalid profile, a
// host in use) are results, not errors; these are for broken wiring and damaged state.
// Messages start with `[palette]` and say what to do.

export type PaletteErrorCode =
  | 'invalid-deps' // createPalette was given something it cannot work with
  | 'corrupt'; // a stored document does not have the shape this code wrote

export class PaletteError extends Error {
  override name = 'PaletteError';
  constructor(readonly code: PaletteErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[palette] ${message}`, options);
  }
}
