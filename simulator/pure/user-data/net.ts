// IPv4 helpers shared by the schema (validation) and the agent-env compiler (normalisation).

/** Dotted-quad IPv4 address, no leading zeros (`010.0.0.1` is rejected as ambiguous). */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** `a.b.c.d` or `a.b.c.d/n` (0 ≤ n ≤ 32) split into address and prefix; undefined when malformed. */
export function parseIPv4Cidr(s: string): { address: string; prefix?: number } | undefined {
  const [address = '', prefix, ...rest] = s.split('/');
  if (rest.length > 0 || !isIPv4(address)) return undefined;
  if (prefix === undefined) return { address };
  if (!/^\d{1,2}$/.test(prefix) || Number(prefix) > 32) return undefined;
  return { address, prefix: Number(prefix) };
}

function toUint32(ip: string): number {
  return ip.split('.').reduce((acc, p) => acc * 256 + Number(p), 0);
}

/** Prefix length of a dotted netmask (`255.255.255.0` → 24); undefined when not a contiguous mask. */
export function maskPrefixLength(mask: string): number | undefined {
  if (!isIPv4(mask)) return undefined;
  const n = toUint32(mask);
  for (let len = 0; len <= 32; len++) {
    const candidate = len === 0 ? 0 : (0xffffffff - (2 ** (32 - len) - 1));
    if (candidate === n) return len;
  }
  return undefined;
}

/** Dotted netmask for a prefix length (24 → `255.255.255.0`). */
export function prefixToMask(prefix: number): string {
  const n = prefix === 0 ? 0 : 0xffffffff - (2 ** (32 - prefix) - 1);
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
