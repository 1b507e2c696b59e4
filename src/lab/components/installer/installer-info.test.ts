import { describe, expect, it } from 'vitest';
import { draftKey, formatSize, newestInstaller, stickFiles, type Installer } from './installer-info';

const installer = (id: string, createdAt: number): Installer => ({
  id, sha256: 'a'.repeat(64), size: 1, createdAt, files: { 'user-data': 'b'.repeat(64), 'EDGE-INSTALLER': 'c'.repeat(64), 'x/other': 'd' },
});

describe('installer info', () => {
  it('says sizes in binary units with the exact bytes', () => {
    expect(formatSize(512)).toBe('512 bytes');
    expect(formatSize(3_355_443)).toBe('3.2 MiB (3,355,443 bytes)');
    expect(formatSize(2048)).toBe('2.0 KiB (2,048 bytes)');
  });

  it('lists the stick files by path, saying what the known ones are for', () => {
    expect(stickFiles(installer('i', 1))).toEqual([
      { path: 'EDGE-INSTALLER', sha256: 'c'.repeat(64), note: 'marks the stick as an Edge Installer' },
      { path: 'user-data', sha256: 'b'.repeat(64), note: 'your user data, as you wrote it' },
      { path: 'x/other', sha256: 'd' },
    ]);
  });

  it('knows the newest installer, the one the hosts insert', () => {
    expect(newestInstaller([installer('a', 1), installer('b', 3), installer('c', 2)])?.id).toBe('b');
    expect(newestInstaller([installer('a', 1), installer('b', 1)])?.id).toBe('b');
    expect(newestInstaller([])).toBeUndefined();
    expect(draftKey('lab-1')).toBe('edge-lab:user-data:lab-1');
  });
});
