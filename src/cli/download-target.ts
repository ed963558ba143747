import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { isLoopbackHost } from '../client/base-url.js';

/** One address a name resolves to. */
export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

/** Resolves a host name to its addresses (`node:dns`'s `lookup` with `all: true` by default; tests inject one). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver, as Node's own connections use it. */
export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

// Every range that is not the public internet: "this network", private, CGNAT, loopback, link-local,
// IETF protocol assignments, TEST-NETs, benchmarking, multicast and reserved; in IPv6 the unspecified and
// loopback addresses, IPv4-mapped and NAT64 forms (checked through their IPv4 address), ULA, link-local,
// site-local, documentation and multicast.
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['2001:db8::', 32], ['ff00::', 8], ['100::', 64]] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) IPv6 address. */
function embeddedIpv4(address: string): string | undefined {
  const normalised = new URL(`http://[${address}]`).hostname.slice(1, -1);
  const match = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(normalised);
  if (match === null) return undefined;
  const high = Number.parseInt(match[1]!, 16);
  const low = Number.parseInt(match[2]!, 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** True for an address on the public internet: none of the ranges above. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return !NOT_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return false;
  const inner = embeddedIpv4(address);
  return inner === undefined ? !NOT_PUBLIC.check(address, 'ipv6') : isPublicAddress(inner);
}

function isLoopbackAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 6) {
    const inner = embeddedIpv4(address);
    if (inner !== undefined) return LOOPBACK.check(inner, 'ipv4');
  }
  return family !== 0 && LOOPBACK.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Where a download may go: public addresses only, and loopback too when the API itself is on loopback (the simulator). */
export interface TargetPolicy {
  allowLoopback: boolean;
  resolve: Resolver;
}

/**
 * Checks one hop of a download (the result URL, or a redirect from `previous`) and returns the one
 * address to connect to, resolved once here so that a second resolution (DNS rebinding) cannot swap it.
 * Refused: a scheme other than https (http only on loopback, with `allowLoopback`), https -> http, and
 * any name that resolves to an address off the public internet (loopback, link-local, private, CGNAT,
 * ULA, `0.0.0.0`, `::`...; loopback allowed with `allowLoopback`). Errors name the host, never the query.
 */
export async function checkTarget(target: URL, previous: URL | undefined, policy: TargetPolicy): Promise<ResolvedAddress> {
  const host = target.hostname;
  if (target.protocol !== 'https:' && target.protocol !== 'http:') throw new Error(`Refusing to download from a ${target.protocol} URL`);
  if (previous?.protocol === 'https:' && target.protocol === 'http:') throw new Error('Refusing a redirect from https: to http:');
  if (target.protocol === 'http:' && !(policy.allowLoopback && isLoopbackHost(host))) {
    throw new Error('Refusing to download over plain http: (only https:, or http: on loopback when the API is on loopback)');
  }
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  const family = isIP(literal);
  const addresses = family === 0 ? await policy.resolve(literal) : [{ address: literal, family }];
  if (addresses.length === 0) throw new Error(`Downloading the result: ${JSON.stringify(host)} has no address`);
  for (const { address } of addresses) {
    if (!isPublicAddress(address) && !(policy.allowLoopback && isLoopbackAddress(address))) {
      throw new Error(`Refusing to download from ${JSON.stringify(host)}: it resolves to ${address}, not a public address`);
    }
  }
  return addresses[0]!;
}
