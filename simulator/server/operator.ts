/**
 * The operator's credential: whoever runs the lab server on this machine. Opening a class takes
 * host places (its warm labs, its learners' labs), so `POST /classes` needs it as
 * `Authorization: Bearer <operator secret>`; the lab's own doors (POST /labs, joins) do not.
 *
 * Where it comes from, first found wins:
 *   1. `operatorSecret` given to startLabServer (tests, the browser harness);
 *   2. the environment, EDGE_LAB_OPERATOR_SECRET (at least 16 characters);
 *   3. the file `operator-secret` in the server's data directory, made with a fresh random secret
 *      on the first start, mode 0600 (like the server secret): only the operator's account reads
 *      it, and `npm start` prints it with the class dashboard's address.
 * The secret is compared by its sha256, in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const OPERATOR_ENV = 'EDGE_LAB_OPERATOR_SECRET';
export const OPERATOR_FILE = 'operator-secret';
const MIN_LENGTH = 16;

export type OperatorSource = 'option' | 'env' | 'file';

export interface OperatorCredential {
  /** The secret itself, so the process that started the server can show it to the operator. */
  readonly secret: string;
  readonly source: OperatorSource;
  /** Whether `given` (the bearer value, or undefined) is the operator secret. */
  check(given: string | undefined): 'ok' | 'missing' | 'wrong';
  /** Where the operator finds the secret, for refusals. */
  readonly whereToFind: string;
}

export class OperatorError extends Error {
  constructor(message: string) {
    super(`[lab-server] ${message}`);
    this.name = 'OperatorError';
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function operatorCredential(secret: string, source: OperatorSource): OperatorCredential {
  if (secret.length < MIN_LENGTH) {
    const from = source === 'env' ? `${OPERATOR_ENV}` : source === 'option' ? 'the operatorSecret option' : `the file ${OPERATOR_FILE}`;
    throw new OperatorError(`the operator secret from ${from} is ${secret.length} characters long; use at least ${MIN_LENGTH} (e.g. \`openssl rand -base64 24\`)`);
  }
  const expected = digest(secret);
  return {
    secret,
    source,
    check(given) {
      if (!given) return 'missing';
      return timingSafeEqual(digest(given), expected) ? 'ok' : 'wrong';
    },
    whereToFind: source === 'env'
      ? `it is the value of ${OPERATOR_ENV} the lab server was started with`
      : `\`npm start\` prints it ("operator key") when the lab server starts; it is also kept in the file ${OPERATOR_FILE} in the lab server's data directory (~/.local/state/edge-lab by default), or set your own with ${OPERATOR_ENV}`,
  };
}

/** The operator credential for a server whose data lives in `dataDir` (see the header for the order). */
export async function loadOperatorCredential(dataDir: string, o: { given?: string; env?: NodeJS.ProcessEnv } = {}): Promise<OperatorCredential> {
  if (o.given !== undefined) return operatorCredential(o.given, 'option');
  const fromEnv = (o.env ?? process.env)[OPERATOR_ENV]?.trim();
  if (fromEnv) return operatorCredential(fromEnv, 'env');
  const file = join(dataDir, OPERATOR_FILE);
  const known = await readFile(file, 'utf8').then((s) => s.trim(), () => '');
  if (known.length >= MIN_LENGTH) {
    // A copy restored from a backup may have lost its mode; it is a secret.
    await chmod(file, 0o600).catch(() => {});
    return operatorCredential(known, 'file');
  }
  const fresh = randomBytes(24).toString('base64url');
  await writeFile(file, `${fresh}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return operatorCredential(fresh, 'file');
}
