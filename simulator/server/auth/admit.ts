// Admission of one request under `/labs/<labId>/…` (HTTP or a WebSocket upgrade): the path names
// a lab, the Origin is allowed, and a valid lab token for that very lab comes with it. The answer
// is a decision the HTTP layer turns into a response; it never throws on anything a client sends.
//
// The token travels in `Authorization: Bearer <token>` or, because a browser cannot set headers
// on a WebSocket, in `?token=<token>`. The caller must keep query strings out of its logs.
// Whether the lab exists is the caller's question: an admitted request for a lab that is gone
// still gets its 404 from there.
import { LAB_ID_PATTERN, type LabRole } from '../../pure/protocol';
import { checkOrigin } from './origin';
import { verifyLabToken, type LabTokenRefusal } from './token';

export interface LabRequest {
  /** The request target as Node gives it: path and query, e.g. `/labs/lab-1/ws?token=…`. */
  url: string;
  /** Header names in lower case, as in IncomingMessage.headers. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface AdmissionOptions {
  secret: string;
  /** Origins of the site that embeds the labs, e.g. ["http://127.0.0.1:3000"]. */
  allowedOrigins: readonly string[];
  /** Milliseconds since the epoch. */
  now: number;
  /** See OriginOptions.allowMissingOrigin. Default false. */
  allowMissingOrigin?: boolean;
  /**
   * Whether the session a token was traded for (its `sid`) has been ended (a member the trainer
   * removed): its tokens are refused from then on, however long they had to run. Default: none is.
   */
  isEnded?: (labId: string, sid: string) => boolean;
}

export type AdmissionRefusal =
  | 'not-a-lab-path' | 'bad-lab-id'
  | 'missing-origin' | 'foreign-origin' | 'bad-origin'
  | 'missing-token' | 'conflicting-tokens' | 'malformed-token' | 'bad-signature' | 'expired-token'
  | 'wrong-lab' | 'session-ended';

export type Admission =
  | {
      ok: true;
      labId: string;
      role: LabRole;
      /** Token expiry (ms since the epoch): a long-lived connection may be closed at this time. */
      exp: number;
      /** The path after `/labs/<labId>`, "/" at least, without the query: e.g. "/ws". */
      rest: string;
      /** The request's Origin, or null when missing Origins are allowed and it had none. */
      origin: string | null;
      /** The session the token was traded for, when it names one (see token.ts). */
      sid?: string;
    }
  | {
      ok: false;
      status: 401 | 403 | 404;
      code: AdmissionRefusal;
      /** `[lab-auth] …`, saying what to do. Safe to show to the client. */
      message: string;
      /** Headers for the response, e.g. WWW-Authenticate on 401. */
      headers: Record<string, string>;
    };

const LAB_PATH = /^\/labs\/([^/]*)(\/.*)?$/;

export function admitLabRequest(req: LabRequest, opts: AdmissionOptions): Admission {
  let url: URL;
  try {
    url = new URL(req.url, 'http://lab.invalid');
  } catch {
    return refuse(404, 'not-a-lab-path', 'the request path cannot be read; lab URLs look like /labs/<lab id>/…');
  }
  // An absolute or `//host/…` request target is not a path on this server.
  const path = url.origin === 'http://lab.invalid' ? LAB_PATH.exec(url.pathname) : null;
  if (!path) return refuse(404, 'not-a-lab-path', 'this is not a lab URL; lab URLs look like /labs/<lab id>/…');
  const labId = path[1] ?? '';
  if (!LAB_ID_PATTERN.test(labId)) {
    return refuse(404, 'bad-lab-id', 'no lab has that id (lab ids are 1-64 letters, digits, _ or -); open the lab from its page');
  }

  const origin = checkOrigin(req.headers.origin, opts.allowedOrigins, { allowMissingOrigin: opts.allowMissingOrigin });
  if (!origin.ok) return { ok: false, status: 403, code: origin.reason, message: origin.message, headers: {} };

  const token = findToken(req.headers.authorization, url.searchParams.getAll('token'));
  if (!token.ok) return refuse(401, token.code, token.message);

  const check = verifyLabToken(token.value, opts.secret, opts.now);
  if (!check.ok) return refuse(401, TOKEN_REFUSALS[check.reason].code, TOKEN_REFUSALS[check.reason].message);
  if (check.claims.labId !== labId) {
    return refuse(403, 'wrong-lab', `this token opens lab ${check.claims.labId}, not lab ${labId}; open lab ${labId} from its own page`);
  }
  const sid = check.claims.sid;
  if (sid !== undefined && opts.isEnded?.(labId, sid)) {
    return refuse(403, 'session-ended', 'the trainer removed you from this lab, so this session no longer opens it; ask the trainer for a new invite link');
  }
  return { ok: true, labId, role: check.claims.role, exp: check.claims.exp, rest: path[2] ?? '/', origin: origin.origin, ...(sid !== undefined ? { sid } : {}) };
}

const TOKEN_REFUSALS: Record<LabTokenRefusal, { code: AdmissionRefusal; message: string }> = {
  malformed: { code: 'malformed-token', message: 'the lab token is not one this server issues (it may be cut short); copy the whole lab link again or reload the lab page' },
  'bad-signature': { code: 'bad-signature', message: 'the lab token was not signed by this lab server (it restarted with a new secret, or the token was altered); reload the lab page for a fresh one' },
  expired: { code: 'expired-token', message: 'the lab token has expired; reload the lab page for a fresh one' },
};

type FoundToken = { ok: true; value: string } | { ok: false; code: 'missing-token' | 'conflicting-tokens'; message: string };

function findToken(authorization: string | readonly string[] | undefined, query: readonly string[]): FoundToken {
  if (typeof authorization !== 'string' && authorization !== undefined) {
    return { ok: false, code: 'conflicting-tokens', message: 'send one Authorization header, not several' };
  }
  const candidates = new Set(query);
  if (authorization !== undefined) {
    const bearer = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!bearer?.[1]) {
      return { ok: false, code: 'missing-token', message: 'the Authorization header is not "Bearer <lab token>"; send the lab token that way or as ?token=' };
    }
    candidates.add(bearer[1]);
  }
  if (candidates.size > 1) {
    return { ok: false, code: 'conflicting-tokens', message: 'the request carries different lab tokens; send one, in Authorization: Bearer or in ?token=' };
  }
  const [value] = candidates;
  if (!value) {
    return { ok: false, code: 'missing-token', message: 'no lab token: send it as Authorization: Bearer <token> or ?token=<token> (the lab page does this for you; reload it)' };
  }
  return { ok: true, value };
}

function refuse(status: 401 | 403 | 404, code: AdmissionRefusal, message: string): Admission {
  // RFC 6750 §3: a 401 names the scheme; the error code is left out when no token came at all.
  const error = code === 'missing-token' ? '' : code === 'conflicting-tokens' ? ', error="invalid_request"' : ', error="invalid_token"';
  const headers: Record<string, string> = status === 401 ? { 'www-authenticate': `Bearer realm="edge-lab"${error}` } : {};
  return { ok: false, status, code, message: `[lab-auth] ${message}`, headers };
}
