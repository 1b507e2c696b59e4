// A join or invite link carries its secret in the query (`code`, `invite`, `session`). Once the page
// has traded it for a session (kept in storage), the secret leaves the address bar and the tab's
// history, so it is not bookmarked, shared by copying the address, or shown on a projector.

const SECRET_PARAMS = ['code', 'invite', 'session', 'name'] as const;

/** The address without the entry's secrets, or null when it carries none. Pure. */
export function withoutEntrySecrets(href: string): string | null {
  const u = new URL(href);
  if (!SECRET_PARAMS.some((p) => u.searchParams.has(p))) return null;
  for (const p of SECRET_PARAMS) u.searchParams.delete(p);
  return u.toString();
}

/** Browser only: replaces the current history entry's address by the one without secrets. */
export function forgetEntrySecrets(): void {
  const next = withoutEntrySecrets(window.location.href);
  if (next !== null) window.history.replaceState(window.history.state, '', next);
}
