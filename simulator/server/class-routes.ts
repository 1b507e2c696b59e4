/**
 * The class doors of the lab server (classes/classes.ts):
 *   POST /classes {scenario, name?, warm?, learners?, startPhase?} 201 {classId, name, scenario, trainerSecret, joinCode, learners};
 *        needs `Authorization: Bearer <operator secret>` (operator.ts): 401 without it, 403 with a wrong one
 *   POST /classes/<id>/join {code, learner?}         201 a learner's lab session (as POST /labs), {classId, place, warm};
 *        409 class-full beyond the class's learners
 * and, with `Authorization: Bearer <trainerSecret>`:
 *   GET  /classes/<id>                               the dashboard: capacity, warm pool, every learner's lab
 *   GET  /classes/<id>/labs/<labId>/hosts/<vm>/console   a host's console, read-only
 *   POST /classes/<id>/labs/<labId>/jump {phase}     fast-forward (or reset) a learner's lab
 *   POST /classes/<id>/labs/<labId>/hosts/<vm>/drill {drill}   a drill on a learner's host (pure/drills/trainer-drills.ts):
 *        409 when the lab is not running or the host refuses it now
 *   PUT  /classes/<id>/warm {count}                  the warm pool's size
 *   POST /classes/<id>/walkthroughs                  201 a shared lab for a role-based walkthrough: {labId, sessionSecret, invites, invitesExpireAt, place}
 *   DELETE /classes/<id>                             closes the class: its warm labs deleted, its links dead; learners keep their labs
 * A trainer reaches only the labs of their class; a learner only their own lab.
 */
import type { Context, Hono } from 'hono';
import { ClassError, type Classes } from '../classes/classes';
import { openedPlace } from '../labs/lab-manager';
import type { RouteTable } from '../slots/lab-slot';
import { checkOrigin, issueLabToken } from './auth';
import { doorBody, jsonBody } from './http-bodies';
import { jumpReply } from '../slots/jump-reply';
import { TRAINER_DRILL_IDS, trainerDrill, trainerDrillSchema } from '../pure/drills/trainer-drills';
import type { OperatorCredential } from './operator';
import type { SessionCookies } from './auth/session-cookie';

export interface ClassRouteDeps {
  classes: Classes;
  /** Where each lab is (slots/lab-slot.ts): a trainer's peeks and jumps go to the lab's slot. */
  slots: RouteTable;
  origins: string[];
  secret: string;
  now: () => number;
  tokenTtlMs: number;
  /** Opening a class needs the operator's secret. */
  operator: Pick<OperatorCredential, 'check' | 'whereToFind'>;
  /** Where a learner's session secret goes: in the answer, or in an HttpOnly cookie (a room over HTTPS). */
  cookies: SessionCookies;
}

const STATUS: Record<ClassError['code'], 400 | 401 | 403 | 404 | 409> = {
  'not-found': 404, 'bad-secret': 403, 'bad-code': 403, 'bad-request': 400, 'no-operator': 401, 'bad-operator': 403,
  'over-budget': 409, 'too-many-classes': 409, 'class-full': 409,
};

/** A class's refusal as the doors answer it (the lab server's error handler calls this). */
export function classErrorReply(c: Context, err: ClassError): Response {
  const headers: Record<string, string> = err.code === 'no-operator' ? { 'WWW-Authenticate': 'Bearer realm="edge-lab operator"' } : {};
  return c.json({ error: err.code, message: err.message, ...(err.field ? { field: err.field } : {}) }, STATUS[err.code], headers);
}

/** Registers the class doors; a ClassError thrown by any of them is answered by classErrorReply. */
export function classRoutes<E extends object>(app: Hono<E & { Variables: Record<string, unknown> }>, d: ClassRouteDeps): void {
  const bearer = (c: Context): string | undefined => c.req.header('authorization')?.replace(/^Bearer\s+/i, '') || undefined;
  /** The trainer's request: an allowed Origin, their secret, and (for a lab) a lab of their class. */
  const asTrainer = async (c: Context, labId?: string): Promise<Response | null> => {
    const origin = checkOrigin(c.req.header('origin'), d.origins, { allowMissingOrigin: true });
    if (!origin.ok) return c.json({ error: origin.reason, message: `[lab-auth] ${origin.message}` }, 403);
    await d.classes.asTrainer(c.req.param('classId') ?? '', bearer(c));
    if (labId !== undefined && !(await d.classes.has(c.req.param('classId') ?? '', labId))) {
      return c.json({ error: 'not-found', message: `[class] lab ${labId} is not a learner's lab of this class` }, 404);
    }
    return null;
  };

  app.post('/classes', async (c) => {
    const body = await doorBody(c, d.origins);
    if (!body.ok) return body.response;
    const operator = d.operator.check(bearer(c));
    if (operator === 'missing') throw new ClassError('no-operator', `opening a class takes the operator key (it holds host places on this machine); send it as Authorization: Bearer <operator key>, or type it in the class page's "Operator key" field. Where to find it: ${d.operator.whereToFind}`);
    if (operator === 'wrong') throw new ClassError('bad-operator', `this is not the operator key of this lab server; ${d.operator.whereToFind}`);
    return c.json(await d.classes.create(body.value as Record<string, unknown>), 201);
  });

  app.delete('/classes/:classId', async (c) => {
    const refused = await asTrainer(c);
    if (refused) return refused;
    return c.json(await d.classes.close(c.req.param('classId')));
  });

  app.post('/classes/:classId/join', async (c) => {
    const body = await doorBody(c, d.origins);
    if (!body.ok) return body.response;
    const classId = c.req.param('classId');
    const joined = await d.classes.join(classId, body.value as Record<string, unknown>);
    const token = issueLabToken({ labId: joined.labId, role: 'solo', ttlMs: d.tokenTtlMs }, d.secret, d.now());
    return c.json({
      labId: joined.labId, role: 'solo', token, expiresAt: d.now() + d.tokenTtlMs, sessionSecret: d.cookies.hand(c, joined.labId, joined.sessionSecret), classId, place: openedPlace(joined.queued), warm: joined.warm,
    }, 201);
  });

  app.get('/classes/:classId', async (c) => {
    const refused = await asTrainer(c);
    if (refused) return refused;
    return c.json(await d.classes.dashboard(c.req.param('classId')));
  });

  app.put('/classes/:classId/warm', async (c) => {
    const refused = await asTrainer(c);
    if (refused) return refused;
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    return c.json(await d.classes.setWarm(c.req.param('classId'), (body.value as { count?: unknown }).count));
  });

  app.post('/classes/:classId/walkthroughs', async (c) => {
    const refused = await asTrainer(c);
    if (refused) return refused;
    const { queued, ...opened } = await d.classes.openWalkthrough(c.req.param('classId'));
    return c.json({ ...opened, place: openedPlace(queued) }, 201);
  });

  app.get('/classes/:classId/labs/:labId/hosts/:vm/console', async (c) => {
    const refused = await asTrainer(c, c.req.param('labId'));
    if (refused) return refused;
    // A peek does not wake a suspended lab or jump the queue.
    const slot = await d.slots.slotOf(c.req.param('labId'));
    const peek = slot ? await slot.peekConsole(c.req.param('labId'), c.req.param('vm')) : { kind: 'not-running' as const };
    if (peek.kind === 'unknown-host') return c.json({ error: 'unknown-host', message: `[class] this lab has no host ${c.req.param('vm')}` }, 404);
    return c.text(peek.kind === 'text' ? peek.text : '(the lab is not running now: it is queued or suspended)\n');
  });

  app.post('/classes/:classId/labs/:labId/jump', async (c) => {
    const labId = c.req.param('labId');
    const refused = await asTrainer(c, labId);
    if (refused) return refused;
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const slot = await d.slots.slotOf(labId);
    if (!slot) return c.json({ error: 'not-found', message: `[class] lab ${labId} was deleted` }, 404);
    return jumpReply(c, slot, labId, (body.value as { phase?: unknown }).phase);
  });

  app.post('/classes/:classId/labs/:labId/hosts/:vm/drill', async (c) => {
    const labId = c.req.param('labId');
    const host = c.req.param('vm');
    const refused = await asTrainer(c, labId);
    if (refused) return refused;
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const asked = trainerDrillSchema.safeParse((body.value as { drill?: unknown }).drill);
    if (!asked.success) return c.json({ error: 'bad-request', field: 'drill', message: `[class] drill: one of ${TRAINER_DRILL_IDS.join(', ')}` }, 400);
    const slot = await d.slots.slotOf(labId);
    if (!slot) return c.json({ error: 'not-found', message: `[class] lab ${labId} was deleted` }, 404);
    const r = await slot.drill(labId, host, trainerDrill(asked.data).command);
    switch (r.kind) {
      case 'done': return c.json({ ok: true, drill: asked.data, host });
      case 'unknown-host': return c.json({ error: 'unknown-host', message: `[class] this lab has no host ${host}` }, 404);
      case 'not-running': return c.json({ error: 'not-running', message: '[class] the lab is not running now (queued or suspended): a drill waits until the learner is back in it' }, 409);
      case 'refused': return c.json({ error: r.code, message: r.message }, 409);
    }
  });
}
