/** Command-line flags of `npm run bench`. Pure. */
export interface BenchArgs {
  quick: boolean;
  /** Metric names asked for with --only, in the registry's order; null for all. */
  only: string[] | null;
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [--quick] [--only <metric,…>]
  --quick          one iteration per metric (a smoke check; the report says so)
  --only a,b       run only these metrics (the floor baseline still boots beside each)
  --help           this text`;

export class BenchArgsError extends Error {
  override name = 'BenchArgsError';
}

export function parseBenchArgs(argv: readonly string[], known: readonly string[]): BenchArgs {
  let quick = false;
  let help = false;
  let only: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') quick = true;
    else if (a === '--help' || a === '-h') help = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a === '--only' ? argv[++i] : a.slice('--only='.length);
      if (!value || value.startsWith('--')) throw new BenchArgsError('--only needs a comma-separated list of metric names');
      const names = value.split(',').map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((n) => !known.includes(n));
      if (unknown.length) throw new BenchArgsError(`unknown metric(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
      only = [...new Set([...(only ?? []), ...names])];
    } else {
      throw new BenchArgsError(`unknown argument \`${a}\``);
    }
  }
  return { quick, help, only: only ? known.filter((n) => only!.includes(n)) : null };
}
