// An Edge Installer as the lab server reports it (POST and GET /installers), in words.
import type { FieldIssue } from '../../client/lab-api';
import type { Installer } from '../../../../simulator/pure/protocol/http-answers';

export type { Installer };

/** The answer to POST /installers: the installer and the user data's warnings (never blocking). */
export interface BuiltInstaller extends Installer {
  warnings?: FieldIssue[];
}

/** `3.2 MiB (3,355,443 bytes)`. */
export function formatSize(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB'];
  let v = bytes;
  let unit = 'bytes';
  for (const u of units) {
    if (v < 1024) break;
    v /= 1024;
    unit = u;
  }
  const exact = `${bytes.toLocaleString('en-US')} bytes`;
  return unit === 'bytes' ? exact : `${v.toFixed(1)} ${unit} (${exact})`;
}

const FILE_NOTES: Readonly<Record<string, string>> = {
  'EDGE-INSTALLER': 'marks the stick as an Edge Installer',
  'installer/install.sh': 'the installer: partitions the disk and copies the OS',
  'installer/layout.env': 'the partition plan the installer follows',
  'os/edge-os.tgz': 'the Edge OS with the Palette agent, written to the host’s disk',
  'user-data': 'your user data, as you wrote it',
  'user-data.env': 'the agent’s settings, compiled from your user data',
  'user-data-stages.sh': 'the commands of your user data’s boot and network stages',
  'manifest.json': 'the list of the stick’s files and their checksums',
};

/** What a file on the stick is for, when the lab knows. */
export function fileNote(path: string): string | undefined {
  return FILE_NOTES[path];
}

/** The stick's files, by path. */
export function stickFiles(installer: Installer): { path: string; sha256: string; note?: string }[] {
  return Object.entries(installer.files)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([path, sha256]) => ({ path, sha256, ...(fileNote(path) ? { note: fileNote(path) } : {}) }));
}

/** The installer the hosts' "Insert the installer stick" uses: the newest one built. */
export function newestInstaller(installers: readonly Installer[]): Installer | undefined {
  return installers.reduce<Installer | undefined>((best, i) => (!best || i.createdAt >= best.createdAt ? i : best), undefined);
}

/** Where the editor keeps a draft of the user data for one lab. */
export const draftKey = (labId: string): string => `edge-lab:user-data:${labId}`;
