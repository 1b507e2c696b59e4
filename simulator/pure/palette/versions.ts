// Profile versions are `major.minor.patch` (checkSemver); this orders them.
const parts = (v: string): number[] => v.split('.').map(Number);

/** Semver order of `major.minor.patch` versions: negative when a is older than b. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
