// The one error class of the browser-side lab client. Every message starts with `[lab-client]`
// and says what happened and what the reader (or the page's author) can do about it.

export class LabClientError extends Error {
  constructor(
    message: string,
    /** A short kebab-case word a program can switch on, e.g. `refused`, `closed`, `lab-gone`. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(`[lab-client] ${message}`, options);
    this.name = 'LabClientError';
  }
}

/** A command the lab refused: `serverCode` and `serverMessage` are the lab's own words. */
export class LabCommandRefused extends LabClientError {
  constructor(
    readonly command: string,
    readonly serverCode: string,
    readonly serverMessage: string,
  ) {
    super(`${command} was refused: ${serverMessage}`, 'refused');
    this.name = 'LabCommandRefused';
  }
}
