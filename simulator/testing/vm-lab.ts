import { randomUUID } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureGuestImages, type GuestImages } from '../images/guest-images';
import { forgeInstaller } from '../images/forge';
import { EdgeHost, loopbackRelay, type EdgeHostSpec } from '../hosts/edge-host';
import { realHostIo } from '../hosts/host-io';
import { hostTscKhz } from '../hosts/tsc';
import { QemuDriver } from '../vm/qemu/qemu-driver';
import { AgentListener } from './agent-listener';
import { processesMatching } from './leftovers';
import { stat } from 'node:fs/promises';

/** Marks every QEMU a test starts, so a leftover check can find strays. */
export const TEST_VM_PREFIX = 'edge-lab-test';

export interface HostOptions {
  name?: string;
  /** Start from a copy of this disk image (e.g. one `installedDisk` produced). */
  diskFrom?: string;
  diskSizeMb?: number;
  uuid?: string;
  lan?: EdgeHostSpec['lan'];
  memoryMb?: number;
  extraKernelArgs?: string;
  endpoints?: EdgeHostSpec['endpoints'];
}

/**
 * Everything one VM test file needs: guest images, a temp directory, a
 * stand-in Palette endpoint, forged sticks and real hosts; `dispose()` stops
 * every host (stepped shutdown, reaped) and deletes the directory.
 */
export class VmLab {
  readonly hosts: EdgeHost[] = [];
  private readonly driver = new QemuDriver();
  private count = 0;
  private marks = 0;
  private readonly golden = new Map<string, string>();

  private constructor(readonly dir: string, readonly images: GuestImages, readonly endpoint: AgentListener, readonly tscKhz: number) {}

  static async create(): Promise<VmLab> {
    const images = await ensureGuestImages();
    const dir = await mkdtemp(join(tmpdir(), `${TEST_VM_PREFIX}-`));
    return new VmLab(dir, images, await AgentListener.start(), await hostTscKhz());
  }

  userData(extraSite = '', install = ''): string {
    return `#cloud-config\nstylus:\n  site:\n    paletteEndpoint: api.palette.lab\n    edgeHostToken: tok-lab-123\n    tags:\n      region: east\n${extraSite}${install ? `install:\n${install}` : ''}`;
  }

  async forge(userData: string, name = `installer-${++this.count}.img`, os: 'edge' | 'provider' = 'edge'): Promise<string> {
    const out = join(this.dir, name);
    await forgeInstaller({ userDataText: userData, userDataFile: 'site.yaml', out, images: this.images, os });
    return out;
  }

  /**
   * A disk with the Edge OS installed from `userData` (install.poweroff), made
   * once per user-data and copied for each host that needs one.
   */
  async installedDisk(userData: string): Promise<string> {
    const known = this.golden.get(userData);
    if (known) return known;
    const stick = await this.forge(userData.includes('poweroff') ? userData : `${userData}install:\n  poweroff: true\n`);
    const h = this.host({ name: `golden-${this.golden.size + 1}` });
    await h.insertUsb(stick);
    const off = h.waitForPower((p) => p.state === 'off', 120_000);
    await h.powerOn();
    const result = await off;
    if (result.state !== 'off' || result.reason !== 'guest-poweroff') throw new Error(`[test] golden install did not power off cleanly: ${JSON.stringify(result)}`);
    this.golden.set(userData, h.spec.diskPath);
    return h.spec.diskPath;
  }

  host(opts: HostOptions = {}): EdgeHost {
    const name = opts.name ?? `host-${this.hosts.length + 1}`;
    if (opts.diskFrom) copyFileSync(opts.diskFrom, join(this.dir, `${name}.qcow2`));
    const h = new EdgeHost({
      name: `${TEST_VM_PREFIX}-${name}`,
      uuid: opts.uuid ?? randomUUID(),
      mac: `52:54:00:a0:00:${(this.hosts.length + 1).toString(16).padStart(2, '0')}`,
      cpus: 1, memoryMb: opts.memoryMb ?? 128,
      ...(opts.extraKernelArgs ? { extraKernelArgs: opts.extraKernelArgs } : {}),
      diskPath: join(this.dir, `${name}.qcow2`), diskSizeMb: opts.diskSizeMb ?? 1024,
      images: this.images, tscKhz: this.tscKhz,
      endpoints: opts.endpoints ?? [{ hostname: 'api.palette.lab', hostPort: this.endpoint.port }],
      relayCommand: loopbackRelay,
      ...(opts.lan ? { lan: opts.lan } : {}),
    }, this.driver, realHostIo);
    this.hosts.push(h);
    return h;
  }

  /**
   * Types a command on the host console and resolves with what it printed.
   * The end is marked by `@@<n>@@`, which the shell prints by evaluating
   * `$((n+0))`, so the echo of the typed line never matches it.
   */
  async run(host: EdgeHost, command: string, until: RegExp = /[\s\S]*/, timeoutMs = 15_000): Promise<string> {
    const n = ++this.marks;
    const end = `@@${n}@@`;
    const start = host.console.history().length;
    host.writeConsole(`${command}; echo "@@$((${n}+0))@@"\n`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const out = new TextDecoder().decode(host.console.history().subarray(start)).replace(/\r/g, '');
      const at = out.indexOf(end);
      if (at >= 0) {
        const body = out.slice(0, at);
        if (!until.test(body)) throw new Error(`[test] \`${command}\` printed no ${until}; got:\n${body.slice(-2000)}`);
        return body;
      }
      if (Date.now() > deadline) throw new Error(`[test] \`${command}\` did not finish within ${timeoutMs} ms; got:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops every host and deletes the lab; throws if a process or file of this lab survived. */
  async dispose(): Promise<void> {
    await Promise.all(this.hosts.map((h) => h.shutdown(3_000).catch(() => h.powerOff())));
    await this.endpoint.close();
    await rm(this.dir, { recursive: true, force: true });
    const strays = await processesMatching(this.dir);
    const dirLeft = await stat(this.dir).then(() => true, () => false);
    if (strays.length || dirLeft) throw new Error(`[test] lab left behind: ${strays.map((p) => p.cmdline.slice(0, 80)).join('; ')}${dirLeft ? ` and ${this.dir}` : ''}`);
  }
}

