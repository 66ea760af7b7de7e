import { BlockList, isIP } from 'node:net';

/**
 * Addresses `--deny-private` refuses: everything that is not a public unicast
 * address, so a URL list (or a redirect, or a DNS answer) cannot point scrape at
 * the machine it runs on, its network, or a cloud metadata service. Ranges from
 * the IANA special-purpose registries (RFC 6890 and successors).
 */
const IPV4: ReadonlyArray<readonly [string, number, string]> = [
  ['0.0.0.0', 8, 'this-network'], // 0.0.0.0 reaches localhost on Linux
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'], // Alibaba Cloud metadata is 100.100.100.200
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'], // AWS, GCP, Azure metadata: 169.254.169.254
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'], // includes 255.255.255.255
];

const IPV6: ReadonlyArray<readonly [string, number, string]> = [
  ['::1', 128, 'loopback'],
  ['::', 128, 'unspecified'],
  ['::', 96, 'IPv4-compatible'], // ::a.b.c.d, deprecated; nothing public lives here
  ['64:ff9b:1::', 48, 'local-use NAT64'],
  ['100::', 64, 'discard-only'],
  ['fc00::', 7, 'unique-local'], // fd00::/8; AWS metadata fd00:ec2::254
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/** a.b.c.d → the two IPv6 words that carry it ("7f00:1"). */
function asWords(ipv4: string): string {
  const [a, b, c, d] = ipv4.split('.').map(Number) as [number, number, number, number];
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

/**
 * One BlockList per reason. IPv6 forms that carry an IPv4 address a network
 * would deliver to (IPv4-mapped ::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d, 6to4
 * 2002:AABB:CCDD::) get the IPv4 ranges again at the matching offset.
 */
const RULES = [
  ...IPV4.map(([net, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, 'ipv4');
    list.addSubnet(`::ffff:${asWords(net)}`, 96 + prefix, 'ipv6');
    list.addSubnet(`64:ff9b::${asWords(net)}`, 96 + prefix, 'ipv6');
    list.addSubnet(`2002:${asWords(net)}::`, 16 + prefix, 'ipv6');
    return { list, label };
  }),
  ...IPV6.map(([net, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, 'ipv6');
    return { list, label };
  }),
];

/**
 * Why `address` (an IP literal as `socket.remoteAddress` or a URL host gives it;
 * brackets and a zone allowed) is refused, or null if it is a public address.
 * Anything that is not an IP literal is refused: it is not an address we checked.
 */
export function blockedReason(address: string): string | null {
  const ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { list, label } of RULES) if (list.check(ip, type)) return label;
  return null;
}
