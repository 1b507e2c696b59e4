// What to do when the lab server does not answer depends on where it is: on this computer (solo
// mode) the reader starts it; on a room's server, the learner cannot, so they check their network
// and ask the trainer.

/** The advice after "the lab server at <url> does not answer (…)". Pure. */
export function unreachableAdvice(serverUrl: string): string {
  let host = '';
  try { host = new URL(serverUrl).hostname; } catch { /* not a URL: treat as remote */ }
  const local = host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host === '::1';
  return local
    ? 'start it with npm start in the Edge Lab folder, then retry'
    : 'check this computer\'s network connection to it, or ask your trainer whether the lab is running, then retry';
}
