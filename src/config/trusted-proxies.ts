import { BlockList, isIP } from 'node:net';

/**
 * Named address ranges accepted in `http.trustedProxies`, the names Express's `trust proxy`
 * setting uses, so a value copied from an Express app means the same here.
 */
export const TRUSTED_PROXY_NAMES = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
} as const satisfies Record<string, readonly string[]>;

/** How an entry of `http.trustedProxies` reads, for error messages and the settings table. */
export const TRUSTED_PROXIES_SYNTAX =
  'IP addresses, CIDR subnets (`10.0.0.0/8`, `fd00::/8`) or the names `loopback`, `linklocal`, `uniquelocal`';

interface Subnet {
  readonly address: string;
  readonly prefix: number | undefined;
  readonly family: 'ipv4' | 'ipv6';
}

function parseSubnet(entry: string): Subnet | undefined {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return undefined;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) return { address, prefix: undefined, family };
  const text = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const prefix = Number(text);
  if (prefix > (version === 4 ? 32 : 128)) return undefined;
  return { address, prefix, family };
}

/**
 * Why an entry of `http.trustedProxies` is not accepted, or undefined when it is.
 *
 * @example
 * checkTrustedProxy('10.0.0.0/8'); // undefined
 * checkTrustedProxy('10.0.0.0/99'); // 'is not an IP address, a CIDR subnet or a known name'
 */
export function checkTrustedProxy(entry: string): string | undefined {
  if (Object.hasOwn(TRUSTED_PROXY_NAMES, entry)) return undefined;
  return parseSubnet(entry) === undefined ? 'is not an IP address, a CIDR subnet or a known name' : undefined;
}

/**
 * Compiles `http.trustedProxies` into a test for "is this address one of our proxies". Entries
 * that do not parse are skipped (the settings table has already rejected them).
 *
 * @example
 * const isTrusted = compileTrustedProxies(['loopback', '10.0.0.0/8']);
 * isTrusted('10.1.2.3'); // true
 */
export function compileTrustedProxies(entries: readonly string[]): (address: string) => boolean {
  if (entries.length === 0) return () => false;
  const list = new BlockList();
  const expanded = entries.flatMap((entry) =>
    Object.hasOwn(TRUSTED_PROXY_NAMES, entry)
      ? TRUSTED_PROXY_NAMES[entry as keyof typeof TRUSTED_PROXY_NAMES]
      : [entry],
  );
  for (const entry of expanded) {
    const subnet = parseSubnet(entry);
    if (subnet === undefined) continue;
    if (subnet.prefix === undefined) list.addAddress(subnet.address, subnet.family);
    else list.addSubnet(subnet.address, subnet.prefix, subnet.family);
  }
  return (address) => {
    const version = isIP(address);
    if (version === 0) return false;
    // BlockList matches IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) against IPv4 rules.
    return list.check(address, version === 4 ? 'ipv4' : 'ipv6');
  };
}
