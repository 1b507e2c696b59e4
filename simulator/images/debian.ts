import { aptCache } from './apt-answers';
import { run } from './run';
import { ImageBuildError } from './errors';

/**
 * Debian packages as build inputs: resolved, downloaded and unpacked, never
 * installed (installing linux-image-amd64 would pull systemd and udev onto the
 * host). Only Debian's archive is contacted, through apt.
 */

/** The ABI-versioned kernel package behind the linux-image-amd64 metapackage; it changes with security updates. */
export async function resolveKernelPackage(): Promise<string> {
  const stdout = await aptCache(['depends', 'linux-image-amd64']);
  const m = /Depends:\s*(linux-image-[0-9][^\s]*-amd64)/.exec(stdout);
  if (!m?.[1]) throw new ImageBuildError('cannot resolve the kernel package behind linux-image-amd64. Fix: run `apt-get update` as root.');
  return m[1];
}

/** Candidate version apt would download for `pkg`. */
export async function candidateVersion(pkg: string): Promise<string> {
  const stdout = await aptCache(['policy', pkg]);
  const m = /Candidate:\s*(\S+)/.exec(stdout);
  if (!m?.[1] || m[1] === '(none)') throw new ImageBuildError(`Debian package ${pkg} is not available. Fix: run \`apt-get update\` as root.`);
  return m[1];
}

/** Installed version of `pkg`, or null. */
export async function installedVersion(pkg: string): Promise<string | null> {
  try {
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Status} ${Version}', pkg]);
    const m = /install ok installed (\S+)/.exec(stdout);
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Downloads `pkg` (.deb) into `dir` and returns its path. */
export async function downloadPackage(pkg: string, dir: string): Promise<string> {
  await run('apt-get', ['download', '-q', '-o', 'APT::Sandbox::User=root', pkg], { cwd: dir });
  const { stdout } = await run('/bin/sh', ['-c', `ls -1 ${dir}/${pkg}_*.deb`]);
  const file = stdout.trim().split('\n')[0];
  if (!file) throw new ImageBuildError(`apt-get download ${pkg} produced no .deb in ${dir}`);
  return file;
}

/** Unpacks only the members matching `patterns` (tar wildcards) of a .deb into `dir`. */
export async function extractFromPackage(deb: string, dir: string, patterns: readonly string[]): Promise<void> {
  const quoted = patterns.map((p) => `'${p}'`).join(' ');
  await run('/bin/sh', ['-c', `dpkg-deb --fsys-tarfile '${deb}' | tar -x -C '${dir}' --wildcards ${quoted}`]);
}
