/**
 * Which kernel modules each guest needs, and in which order to insmod them.
 * Debian's kernel package ships no modules.dep, so dependencies are read from
 * the `depends=` string every .ko carries in its .modinfo section.
 */

/** Module groups loaded by the guest scripts (load_modules GROUP). */
export const MODULE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  // The disk-boot critical path: as few modules as possible (insmod is slow under TCG).
  virtio: ['virtio_pci'],
  blk: ['virtio_blk'],
  ext4: ['crc32c_generic', 'ext4'],
  net: ['virtio_net'],
  // USB sticks carry FAT.
  usb: ['xhci_pci', 'crct10dif_generic', 'crc64_rocksoft_generic', 'usb_storage', 'sd_mod', 'vfat', 'nls_cp437', 'nls_ascii', 'nls_utf8', 'nls_iso8859_1'],
  // Off the critical path: power button and memory reporting.
  late: ['button', 'evdev', 'virtio_balloon'],
};

/** Module parameters written next to the module in the group list. */
export const MODULE_PARAMS: Readonly<Record<string, string>> = {
  usb_storage: 'delay_use=0',
};

/** Kernel module names treat `-` and `_` alike. */
export function canonicalModuleName(name: string): string {
  return name.replace(/\.ko$/, '').replace(/-/g, '_');
}

/** The comma-separated `depends=` field of a module's .modinfo, as names. */
export function parseModinfoDepends(ko: Uint8Array): string[] {
  const text = new TextDecoder('latin1').decode(ko);
  const at = text.indexOf('\0depends=');
  if (at < 0) return [];
  const end = text.indexOf('\0', at + 1);
  const value = text.slice(at + '\0depends='.length, end < 0 ? undefined : end);
  return value.split(',').map((s) => s.trim()).filter(Boolean).map(canonicalModuleName);
}

/**
 * Load order for `wanted`: every module after all of its dependencies, each
 * once, in first-needed order. Throws on an unknown module or a cycle.
 */
export function moduleLoadOrder(wanted: readonly string[], dependsOf: (name: string) => readonly string[] | undefined, alreadyLoaded: ReadonlySet<string> = new Set()): string[] {
  const order: string[] = [];
  const done = new Set(alreadyLoaded);
  const visiting = new Set<string>();
  const visit = (raw: string, chain: string[]): void => {
    const name = canonicalModuleName(raw);
    if (done.has(name)) return;
    if (visiting.has(name)) throw new Error(`[images] module dependency cycle: ${[...chain, name].join(' → ')}`);
    const deps = dependsOf(name);
    if (!deps) throw new Error(`[images] kernel module ${name} is not in the kernel package (needed by ${chain.join(' → ') || 'the guest'})`);
    visiting.add(name);
    for (const d of deps) visit(d, [...chain, name]);
    visiting.delete(name);
    done.add(name);
    order.push(name);
  };
  for (const w of wanted) visit(w, []);
  return order;
}
