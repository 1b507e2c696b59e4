import { execFile } from 'node:child_process';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { candidateVersion } from '../simulator/images/debian';
import { QEMU_BINARY } from '../simulator/vm/qemu/qemu-driver';
import type { MachineFacts } from './report';

const run = promisify(execFile);

async function qemuVersion(): Promise<string> {
  try {
    const { stdout } = await run(QEMU_BINARY, ['--version']);
    return stdout.split('\n')[0]!.trim();
  } catch (err) {
    return `${QEMU_BINARY} version unknown (${err instanceof Error ? err.message : String(err)})`;
  }
}

/** The facts a reader needs to compare these numbers with another machine's. */
export async function machineFacts(guestKernelPackage: string): Promise<MachineFacts> {
  const cpu = cpus();
  const kernelVersion = await candidateVersion(guestKernelPackage).catch(() => null);
  return {
    cores: cpu.length,
    ramGb: totalmem() / 1024 ** 3,
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    qemuVersion: await qemuVersion(),
    guestKernelPackage: kernelVersion ? `${guestKernelPackage} ${kernelVersion}` : guestKernelPackage,
    hostKernel: release(),
    node: process.versions.node,
    loadavgStart: loadavg(),
    loadavgEnd: loadavg(),
  };
}
