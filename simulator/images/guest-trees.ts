import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { busyboxEntries, type TreeEntry } from './tree';

/** What goes into each guest filesystem. Scripts live in ./guest and run under busybox ash. */
const GUEST = fileURLToPath(new URL('./guest/', import.meta.url));
export type OsFlavour = 'edge' | 'provider';

const BASE_DIRS = ['dev', 'proc', 'sys', 'run', 'tmp', 'mnt', 'root', 'etc', 'oem', 'usr/local', 'var/log'];

async function moduleEntries(modulesDir: string, groups: readonly string[]): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  for (const g of groups) {
    const list = await readFile(join(modulesDir, `${g}.list`), 'utf8');
    entries.push({ path: `lib/modules/${g}.list`, from: join(modulesDir, `${g}.list`) });
    for (const line of list.split('\n')) {
      const ko = line.split(' ')[0];
      if (ko) entries.push({ path: `lib/modules/${ko}`, from: join(modulesDir, ko) });
    }
  }
  return entries;
}

/** A boot stage holding only the module groups its boot path loads (a smaller initramfs unpacks faster). */
export async function bootInitrdEntries(busybox: string, modulesDir: string, groups: readonly string[]): Promise<TreeEntry[]> {
  return [
    ...BASE_DIRS.map((path) => ({ path, dir: true as const })),
    ...(await busyboxEntries(busybox)),
    ...(await moduleEntries(modulesDir, groups)),
    { path: 'lib/edge/lib.sh', from: join(GUEST, 'lib.sh') },
    { path: 'init', from: join(GUEST, 'boot/init.sh'), mode: 0o755 },
  ];
}

/** The benchmark floor: nothing but printing one line, then power off. */
export async function floorInitrdEntries(busybox: string): Promise<TreeEntry[]> {
  const init = '#!/bin/busybox sh\n/bin/busybox mount -t proc proc /proc\necho "EDGE-EVENT floor.ready uptime_s=$(/bin/busybox cut -d" " -f1 /proc/uptime)"\n/bin/busybox poweroff -f\n';
  return [
    { path: 'proc', dir: true },
    { path: 'dev', dir: true },
    { path: 'bin/busybox', from: busybox, mode: 0o755 },
    { path: 'init', content: init, mode: 0o755 },
  ];
}

const OS_RELEASE: Record<OsFlavour, string> = {
  edge: 'ID=edge-lab\nNAME="Edge Lab OS"\nPRETTY_NAME="Edge Lab OS (installer payload, registration mode)"\nVERSION_ID=1\n',
  provider: 'ID=edge-lab-provider\nNAME="Edge Lab Provider OS"\nPRETTY_NAME="Edge Lab Provider OS (BYOS, k8s runtime by Edge Lab)"\nVERSION_ID=1\n',
};

/** kubectl on the console talks to the provider OS's read-only API (guest/provider/stylus-cluster). */
const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: edge-lab
  cluster:
    server: http://127.0.0.1:6443
contexts:
- name: edge-lab
  context:
    cluster: edge-lab
    user: edge-lab
current-context: edge-lab
users:
- name: edge-lab
  user: {}
`;

/** The provider OS's cluster service and the parts of the lab's own runtime it uses. */
const PROVIDER_ENTRIES: TreeEntry[] = [
  { path: 'opt/spectro/stylus-cluster', from: join(GUEST, 'provider/stylus-cluster'), mode: 0o755 },
  { path: 'opt/spectro/kube-api-nodes.awk', from: join(GUEST, 'provider/kube-api-nodes.awk') },
  { path: 'opt/spectro/upgrade-boot.sh', from: join(GUEST, 'provider/upgrade-boot.sh') },
  // busybox httpd types a response by file extension; every API document is a directory's index.html.
  { path: 'etc/kube-api/httpd.conf', content: '.html:application/json\n' },
  { path: 'root/.kube/config', content: KUBECONFIG },
];

export async function osImageEntries(busybox: string, modulesDir: string, flavour: OsFlavour): Promise<TreeEntry[]> {
  return [
    ...BASE_DIRS.filter((d) => d !== 'tmp').map((path) => ({ path, dir: true as const })),
    // One tmpfs (/run) serves /tmp too: a mount less on the boot path.
    { path: 'tmp', symlink: 'run/tmp' },
    ...(await busyboxEntries(busybox)),
    ...(await moduleEntries(modulesDir, ['usb', 'late'])),
    { path: 'lib/edge/lib.sh', from: join(GUEST, 'lib.sh') },
    { path: 'etc/inittab', from: join(GUEST, 'os/inittab') },
    { path: 'etc/init.d/rcS', from: join(GUEST, 'os/rcS'), mode: 0o755 },
    { path: 'etc/init.d/rcK', from: join(GUEST, 'os/rcK'), mode: 0o755 },
    { path: 'etc/udhcpc.script', from: join(GUEST, 'os/udhcpc.script'), mode: 0o755 },
    // busybox init sets HOME=/; root's home (and kubectl's ~/.kube) is /root.
    { path: 'etc/profile', content: 'export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root\nexport PS1="$(hostname):\\w# "\n' },
    { path: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\nkairos:x:1000:1000:kairos:/usr/local/kairos:/bin/sh\n' },
    { path: 'etc/group', content: 'root:x:0:\nkairos:x:1000:\n' },
    { path: 'etc/os-release', content: OS_RELEASE[flavour] },
    { path: 'opt/spectro/stylus-agent', from: join(GUEST, 'os/stylus-agent'), mode: 0o755 },
    { path: 'opt/spectro/palette.sh', from: join(GUEST, 'os/palette.sh') },
    { path: 'opt/spectro/tags-from-file.awk', from: join(GUEST, 'os/tags-from-file.awk') },
    { path: 'opt/spectro/qr.awk', from: join(GUEST, 'os/qr.awk') },
    { path: 'opt/spectro/stylus-provision', from: join(GUEST, 'os/stylus-provision'), mode: 0o755 },
    { path: 'opt/spectro/stylus-upgrade', from: join(GUEST, 'os/stylus-upgrade'), mode: 0o755 },
    { path: 'usr/bin/palette-tui', from: join(GUEST, 'os/palette-tui'), mode: 0o755 },
    { path: 'usr/bin/grub2-editenv', from: join(GUEST, 'os/grub2-editenv'), mode: 0o755 },
    ...(flavour === 'provider' ? PROVIDER_ENTRIES : []),
  ];
}

/**
 * The provider image that is broken on purpose (repository edge-lab-provider-broken), for the
 * upgrade's fallback drill: a valid OS tree whose /sbin/init gives up at once and restarts the
 * host, as an image that cannot boot would. Its trial boots are used up and the boot stage boots
 * the previous slot again (guest/boot/init.sh).
 */
const BROKEN_INIT = `#!/bin/sh
echo "Edge Lab Provider OS (broken on purpose): its init gives up here, as an image that cannot boot would; the host restarts"
read -r up _ < /proc/uptime
echo "EDGE-EVENT os.boot-failed reason=broken-on-purpose t=$up"
sleep 1
reboot -f
`;

export async function brokenProviderEntries(busybox: string): Promise<TreeEntry[]> {
  return [
    ...BASE_DIRS.map((path) => ({ path, dir: true as const })),
    ...(await busyboxEntries(busybox)).filter((e) => e.path !== 'sbin/init'),
    { path: 'sbin/init', content: BROKEN_INIT, mode: 0o755 },
    { path: 'etc/os-release', content: 'ID=edge-lab-provider-broken\nNAME="Edge Lab Provider OS (broken on purpose)"\nVERSION_ID=1\n' },
  ];
}
