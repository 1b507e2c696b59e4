// Projects. A lab starts with `Default` (ensureDefaults); names are unique regardless of case.
import { checkDisplayName, projectUid } from '../pure/palette';
import { error } from '../pure/palette/issues';
import { fail, type Ctx } from './context';
import type { Palette, ProjectView } from './types';

export const DEFAULT_PROJECT = 'Default';

export function projectsApi(ctx: Ctx): Palette['projects'] & { ensureDefaults(): Promise<void> } {
  const view = (p: { name: string; createdAt: number }): ProjectView => ({ name: p.name, uid: projectUid(p.name), createdAt: p.createdAt });
  return {
    async ensureDefaults() {
      const now = ctx.deps.now();
      await ctx.write(async (tx) => {
        if (await tx.rec.get('project', DEFAULT_PROJECT)) return;
        await tx.rec.put('project', DEFAULT_PROJECT, { name: DEFAULT_PROJECT, createdAt: now });
        await tx.emit('palette.project.created', { name: DEFAULT_PROJECT });
      });
    },

    async list() {
      return (await ctx.rec.list('project')).sort((a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name)).map(view);
    },

    async create(input) {
      const name = (input as { name?: unknown } | undefined)?.name;
      if (typeof name !== 'string') return fail('invalid', [error('name', 'name-invalid', 'the project has no name', 'give it a name, e.g. `Retail-East`')]);
      const issues = checkDisplayName(name, 'name', 'project');
      if (issues.length > 0) return fail('invalid', issues);
      const now = ctx.deps.now();
      return ctx.write(async (tx) => {
        const taken = (await tx.rec.list('project')).find((p) => p.name.toLowerCase() === name.toLowerCase());
        if (taken) return fail('invalid', [error('name', 'name-taken', `project ${taken.name} already exists`, 'choose another name')]);
        const project = { name, createdAt: now };
        await tx.rec.put('project', name, project);
        await tx.emit('palette.project.created', { name });
        return { ok: true as const, project: view(project) };
      });
    },
  };
}
