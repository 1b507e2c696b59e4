// Tenant Settings > Registration Tokens (reference §5): name, optional description and default project,
// expiration date (default 30 days). Values are random and listed, as Palette's UI shows them.
// A token already expired when created is accepted with a warning (a lab can teach the refusal).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { checkDisplayName } from '../pure/palette';
import { error, parseWith, warning } from '../pure/palette/issues';
import { fail, notFound, type Ctx } from './context';
import type { TokenDoc } from './records';
import type { Palette, TokenView } from './types';

export const TOKEN_LIFETIME_MS = 30 * 24 * 3600_000;
/** The lab's limit on a token's description (Palette documents none). */
export const TOKEN_DESCRIPTION_MAX = 500;

const newTokenSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  project: z.string().nullable().optional(),
  expiresAt: z.number().int().nonnegative().optional(),
});

/** 32 characters of base64url: unguessable, and safe inside the agent's JSON and shell. */
export const newTokenValue = (): string => randomBytes(24).toString('base64url');

export function tokensApi(ctx: Ctx): Palette['tokens'] {
  const view = (t: TokenDoc, now: number): TokenView => ({ ...t, expired: now >= t.expiresAt });
  return {
    async list() {
      const now = ctx.deps.now();
      return (await ctx.rec.list('token')).sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name)).map((t) => view(t, now));
    },

    async create(input) {
      const now = ctx.deps.now();
      const parsed = parseWith(newTokenSchema, input, (t) => [
        ...checkDisplayName(t.name, 'name', 'token'),
        ...((t.description ?? '').length > TOKEN_DESCRIPTION_MAX
          ? [error('description', 'description-too-long', `the description is ${(t.description ?? '').length} characters long; at most ${TOKEN_DESCRIPTION_MAX}`, 'shorten it')]
          : []),
        ...(t.expiresAt !== undefined && t.expiresAt <= now
          ? [warning('expiresAt', 'token-expired', `the expiration date ${new Date(t.expiresAt).toISOString().slice(0, 10)} has already passed, so hosts using this token are refused`, 'pick a later date, unless that is what you want')]
          : []),
      ]);
      if (!parsed.ok) return fail('invalid', parsed.issues);
      const { name, project = null, expiresAt = now + TOKEN_LIFETIME_MS } = parsed.value;
      const description = parsed.value.description?.trim() ?? '';
      return ctx.write(async (tx) => {
        if (await tx.rec.get('token', name)) return fail('invalid', [error('name', 'name-taken', `a token named ${name} already exists`, 'choose another name, or delete the old token')]);
        if (project !== null && project.trim() !== '' && !(await tx.rec.get('project', project))) {
          const names = (await tx.rec.list('project')).map((p) => p.name);
          return fail('invalid', [error('project', 'project-unknown', `project ${project} does not exist`, `pick one of ${names.join(', ')}, or leave the default project empty`)]);
        }
        const t: TokenDoc = { name, value: newTokenValue(), description, project: project?.trim() ? project : null, expiresAt, createdAt: now };
        await tx.rec.put('token', name, t);
        await tx.emit('palette.token.created', { name, project: t.project });
        return { ok: true as const, token: view(t, now), warnings: parsed.warnings };
      });
    },

    async delete(name) {
      return ctx.write(async (tx) => {
        if (!(await tx.rec.remove('token', name))) return notFound('name', `registration token ${name}`, 'check the name in the token list');
        await tx.emit('palette.token.deleted', { name });
        return { ok: true as const };
      });
    },
  };
}
