import { readFile } from 'node:fs/promises';

/**
 * The host CPU's frequency in kHz, passed to guests as tsc_early_khz: without
 * it the guest kernel can hang calibrating its clock under TCG when the host
 * is busy (measured; see shared/reference/qemu-on-this-machine.md).
 */
export async function hostTscKhz(): Promise<number> {
  const text = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  return parseTscKhz(text);
}

/** First "cpu MHz" of /proc/cpuinfo in kHz; 2_000_000 when absent (a safe, plausible value). */
export function parseTscKhz(cpuinfo: string): number {
  const m = /^cpu MHz\s*:\s*([0-9.]+)/m.exec(cpuinfo);
  return m ? Math.round(Number(m[1]) * 1000) : 2_000_000;
}
