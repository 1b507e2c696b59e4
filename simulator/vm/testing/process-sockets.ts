import { readdir, readFile, readlink } from 'node:fs/promises';

/**
 * Every socket a process holds, seen from outside it as a foreign process
 * would: its fds' socket inodes (/proc/<pid>/fd) matched against the kernel's
 * socket tables (/proc/net/{udp,udp6,tcp,tcp6,unix}). Tests use it to list
 * what a QEMU process exposes on this machine. Linux only.
 */
export interface InetSocket { proto: 'udp' | 'tcp'; family: 4 | 6; address: string; port: number; inode: number; listening: boolean }
export interface UnixSocket { inode: number; /** Filesystem path or `@abstract` name; null for unnamed ends (socketpairs). */ path: string | null }
export interface ProcessSockets { inet: InetSocket[]; unix: UnixSocket[]; /** Socket inodes found in no table (other families: netlink…). */ other: number[] }

const TCP_LISTEN = '0A';

export async function socketsOf(pid: number): Promise<ProcessSockets> {
  const inodes = new Set<number>();
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m) inodes.add(Number(m[1]));
  }
  const inet: InetSocket[] = [];
  for (const [file, proto, family] of [['udp', 'udp', 4], ['udp6', 'udp', 6], ['tcp', 'tcp', 4], ['tcp6', 'tcp', 6]] as const) {
    for (const row of await table(`/proc/net/${file}`)) {
      const inode = Number(row[9]);
      if (!inodes.has(inode)) continue;
      const [hexAddr, hexPort] = row[1]!.split(':') as [string, string];
      inet.push({ proto, family, address: family === 4 ? ipv4(hexAddr) : hexAddr, port: parseInt(hexPort, 16), inode, listening: proto === 'tcp' && row[3] === TCP_LISTEN });
    }
  }
  const unix: UnixSocket[] = [];
  for (const row of await table('/proc/net/unix')) {
    const inode = Number(row[6]);
    if (inodes.has(inode)) unix.push({ inode, path: row[7] ?? null });
  }
  const known = new Set([...inet.map((s) => s.inode), ...unix.map((s) => s.inode)]);
  return { inet, unix, other: [...inodes].filter((i) => !known.has(i)) };
}

async function table(path: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').slice(1).filter((l) => l.trim()).map((l) => l.trim().split(/\s+/));
}

/** /proc/net/udp writes an IPv4 address as the hex of its in-memory (little-endian) word. */
function ipv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}
