import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { compileSiteOverrides, validateUserData } from '../pure/user-data';
import { SITE_VOLUME_LABEL } from '../hosts/boot-order';
import { packFatStick, publishStick, sha256Tree, UserDataInvalidError, type ForgeResult } from './forge';
import { stageTree } from './tree';

/**
 * A site user-data stick (reference, "Site user data"): the file as written (`user-data`), an
 * empty `meta-data`, and the agent's compiled form of what it changes (`user-data.env`, see
 * compileSiteOverrides), on a FAT image labelled CIDATA. The product packs the same two files
 * into an ISO labelled `cidata`; cloud-init's NoCloud source reads either, and FAT is what the
 * lab's sticks already are. Not bootable: the firmware boots the disk with it in, and the Edge
 * OS reads it at the first boot from disk (rcS). Validated first; the image appears atomically.
 */
export async function buildSiteStick(opts: { userDataText: string; userDataFile: string; out: string }): Promise<ForgeResult> {
  const checked = validateUserData(opts.userDataText, { file: opts.userDataFile, purpose: 'site' });
  if (!checked.ok) throw new UserDataInvalidError(checked.issues);
  const stage = await mkdtemp(join(tmpdir(), 'edge-lab-site-stick-'));
  const tmpOut = join(dirname(opts.out), `.${basename(opts.out)}.tmp-${process.pid}`);
  try {
    await stageTree(stage, [
      { path: 'user-data', content: opts.userDataText },
      { path: 'meta-data', content: '' },
      { path: 'user-data.env', content: compileSiteOverrides(checked.userData) },
    ]);
    const files = await sha256Tree(stage);
    await packFatStick(stage, SITE_VOLUME_LABEL, tmpOut, files);
    return { ...(await publishStick(tmpOut, opts.out)), files, warnings: checked.warnings };
  } finally {
    await rm(stage, { recursive: true, force: true });
    await rm(tmpOut, { force: true });
  }
}
