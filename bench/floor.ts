import { performance } from 'node:perf_hooks';
import type { EdgeHost } from '../simulator/hosts/edge-host';
import { guestEndpointAddr } from '../simulator/hosts/edge-host';
import { kernelCommandLine } from '../simulator/hosts/boot-order';
import { ConsoleLineSplitter, parseConsoleLine } from '../simulator/pure/console-events';
import type { VmDriver, VmLaunch, VmProcess } from '../simulator/vm/types';
import { readRssMbSync } from './proc';
import { settlesWithin } from './util';

/** One boot of the floor guest. */
export interface FloorRun {
  /** Spawn of QEMU to the `floor.ready` line on the console, in seconds. */
  seconds: number;
  /** The guest's own uptime when it printed the line (kernel + init only, no QEMU start). */
  guestUptimeS: number;
  /** QEMU's VmRSS when the line arrived, in MB; NaN if it could not be read. */
  rssMb: number;
}

/**
 * The launch a host would get for a disk boot (the same machine, kernel,
 * kernel command line, disk, NIC with restrict=on and its guest forwards,
 * xhci and balloon), with only the initrd swapped for the floor one: an init
 * that prints `EDGE-EVENT floor.ready` and powers off. Mirrors EdgeHost.boot.
 */
export function floorLaunch(template: EdgeHost, floorInitrd: string): VmLaunch {
  const s = template.spec;
  const hosts = s.endpoints.map((e, i) => ({ name: e.hostname, addr: guestEndpointAddr(i) }));
  return {
    name: s.name, cpus: s.cpus, memoryMb: s.memoryMb,
    kernel: s.images.vmlinux,
    initrd: floorInitrd,
    append: kernelCommandLine({ device: 'disk', tscKhz: s.tscKhz, hosts, lanAddress: s.lan?.address }) + (s.extraKernelArgs ? ` ${s.extraKernelArgs}` : ''),
    smbiosUuid: s.uuid,
    disk: { path: s.diskPath },
    nic: { mac: s.mac, forwards: s.endpoints.map((e, i) => ({ guestAddr: guestEndpointAddr(i), guestPort: 80, command: s.relayCommand(e.hostPort) })) },
  };
}

/** Boots the floor once; the process is always reaped before this returns or throws. */
export async function bootFloor(driver: VmDriver, launch: VmLaunch, timeoutMs = 60_000): Promise<FloorRun> {
  let proc: VmProcess | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const t0 = performance.now();
    const started = await driver.start(launch);
    proc = started;
    const splitter = new ConsoleLineSplitter();
    const ready = new Promise<FloorRun>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`[bench] floor guest printed no floor.ready within ${timeoutMs} ms`)), timeoutMs);
      started.onConsole((bytes) => {
        for (const line of splitter.push(bytes)) {
          const e = parseConsoleLine(line);
          if (e?.type !== 'floor.ready') continue;
          const seconds = (performance.now() - t0) / 1000;
          let rssMb = Number.NaN;
          try { if (started.pid) rssMb = readRssMbSync(started.pid); } catch { /* already gone: no RSS sample */ }
          resolve({ seconds, guestUptimeS: e.uptimeSeconds, rssMb });
        }
      });
      void started.exited.then((x) => reject(new Error(`[bench] floor guest exited before floor.ready (code ${x.code ?? x.signal}, ${x.shutdownReason ?? 'no shutdown event'})`)));
    });
    const run = await ready;
    // The init powers off at once; give it a moment, then cut the power.
    if (!(await settlesWithin(started.exited, 10_000))) started.kill('SIGKILL');
    return run;
  } finally {
    clearTimeout(timer);
    if (proc) {
      proc.kill('SIGKILL'); // no-op once exited
      await proc.exited;
    }
  }
}
