// Profiles > Add Cluster Profile (reference §3). A profile is kept per name and version: saving
// a new version keeps the old ones; saving an existing version replaces it only while no cluster
// uses it. Profiles are lab-wide (the tenant scope).
import { parseProfile } from '../pure/palette';
import { error } from '../pure/palette/issues';
import { compareVersions } from '../pure/palette/versions';
import { fail, notFound, type Ctx } from './context';
import { profileId, type ClusterDoc, type ProfileDoc } from './records';
import type { Palette, ProfileView } from './types';

export { compareVersions };

export function highestVersion(docs: readonly ProfileDoc[]): ProfileDoc | undefined {
  return [...docs].sort((a, b) => compareVersions(b.profile.version, a.profile.version))[0];
}

const usersOf = (clusters: readonly ClusterDoc[], name: string, version: string): string[] =>
  clusters.filter((c) => c.spec.profile.id === name
    && (c.spec.profile.version === version || (c.status === 'Upgrading' && c.upgrade?.to === version))).map((c) => c.name);

const view = (d: ProfileDoc, clusters: readonly ClusterDoc[]): ProfileView => ({
  name: d.profile.name, version: d.profile.version, profile: d.profile, savedAt: d.savedAt, usedBy: usersOf(clusters, d.profile.name, d.profile.version),
});

export function profilesApi(ctx: Ctx): Palette['profiles'] {
  return {
    async list() {
      const [docs, clusters] = await Promise.all([ctx.rec.list('profile'), ctx.rec.list('cluster')]);
      return docs
        .sort((a, b) => a.profile.name.localeCompare(b.profile.name) || compareVersions(a.profile.version, b.profile.version))
        .map((d) => view(d, clusters));
    },

    async get(name, version) {
      const [docs, clusters] = await Promise.all([ctx.rec.list('profile'), ctx.rec.list('cluster')]);
      const same = docs.filter((d) => d.profile.name === name);
      const d = version === undefined ? highestVersion(same) : same.find((x) => x.profile.version === version);
      return d && view(d, clusters);
    },

    async save(raw) {
      const parsed = parseProfile(raw);
      if (!parsed.ok) return fail('invalid', parsed.issues);
      const profile = parsed.value;
      const now = ctx.deps.now();
      return ctx.write(async (tx) => {
        const id = profileId(profile.name, profile.version);
        const clusters = await tx.rec.list('cluster');
        const users = usersOf(clusters, profile.name, profile.version);
        if (users.length > 0 && (await tx.rec.get('profile', id))) {
          return fail('conflict', [error('version', 'profile-in-use',
            `version ${profile.version} of profile ${profile.name} is used by cluster ${users.join(', ')} and cannot be changed`,
            'save your changes as a new version, e.g. by raising the patch number')]);
        }
        const doc: ProfileDoc = { profile, savedAt: now };
        await tx.rec.put('profile', id, doc);
        await tx.emit('palette.profile.saved', { name: profile.name, version: profile.version });
        return { ok: true as const, profile: view(doc, clusters), warnings: parsed.warnings };
      });
    },

    async delete(name, version) {
      return ctx.write(async (tx) => {
        const [docs, clusters] = await Promise.all([tx.rec.list('profile'), tx.rec.list('cluster')]);
        const doomed = docs.filter((d) => d.profile.name === name && (version === undefined || d.profile.version === version));
        if (doomed.length === 0) return notFound(version === undefined ? 'name' : 'version', `profile ${name}${version === undefined ? '' : ` version ${version}`}`, 'check the name and version in the profile list');
        const used = doomed.flatMap((d) => usersOf(clusters, name, d.profile.version).map((c) => `${c} (version ${d.profile.version})`));
        if (used.length > 0) {
          return fail('conflict', [error(version === undefined ? 'name' : 'version', 'profile-in-use', `profile ${name} is used by cluster ${used.join(', ')}`, 'delete those clusters first')]);
        }
        for (const d of doomed) {
          await tx.rec.remove('profile', profileId(d.profile.name, d.profile.version));
          await tx.emit('palette.profile.deleted', { name, version: d.profile.version });
        }
        return { ok: true as const, deleted: doomed.map((d) => d.profile.version) };
      });
    },
  };
}
