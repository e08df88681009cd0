import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

/**
 * The server-side request forgery guard of agentless scans. A registered API endpoint is
 * reached only when it is an https URL whose host resolves exclusively to public addresses:
 * loopback, unspecified, link-local, private, carrier-grade NAT, multicast, broadcast and other
 * reserved ranges are refused (IPv4-mapped and NAT64 IPv6 forms by the IPv4 they carry) unless
 * the operator allowlists them (AGENTLESS_ALLOWED_CIDRS). Cloud metadata services are refused
 * even then. Every resolved address is checked, and the caller connects to the checked address
 * (`pinned`), so a second DNS answer cannot send the scan elsewhere.
 */

type Family = 4 | 6;

interface Ip {
  family: Family;
  value: bigint;
}

export interface Cidr {
  family: Family;
  base: bigint;
  bits: number;
  text: string;
}

export type RefusedCategory =
  | 'cloud metadata'
  | 'loopback'
  | 'unspecified'
  | 'link-local'
  | 'private'
  | 'carrier-grade NAT'
  | 'multicast'
  | 'broadcast'
  | 'reserved';

export class EgressRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EgressRefusedError';
  }
}

function parseV4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseV6(text: string): bigint | null {
  let s = text.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return null;
  // A dotted IPv4 tail (::ffff:1.2.3.4) becomes two groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const v4 = parseV4(tail[1]!);
    if (v4 === null) return null;
    s = `${s.slice(0, -tail[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = s.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? left.length !== 8 : missing < 1) return null;
  const groups = [...left, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...right];
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(`0x${g || '0'}`);
  return v;
}

export function parseIp(text: string): Ip | null {
  const v4 = parseV4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseV6(text);
  return v6 === null ? null : { family: 6, value: v6 };
}

export function parseCidr(text: string): Cidr {
  const [address = '', prefix] = text.trim().split('/');
  const ip = parseIp(address);
  if (!ip) throw new Error(`"${text}" is not an IPv4 or IPv6 CIDR`);
  const max = ip.family === 4 ? 32 : 128;
  const bits = prefix === undefined ? max : Number(prefix);
  if (!Number.isInteger(bits) || bits < 0 || bits > max)
    throw new Error(`"${text}" has a prefix length outside 0-${max}`);
  const mask = ((1n << BigInt(bits)) - 1n) << BigInt(max - bits);
  return { family: ip.family, base: ip.value & mask, bits, text: `${address}/${bits}` };
}

function contains(cidr: Cidr, ip: Ip): boolean {
  if (cidr.family !== ip.family) return false;
  const max = cidr.family === 4 ? 32 : 128;
  const mask = ((1n << BigInt(cidr.bits)) - 1n) << BigInt(max - cidr.bits);
  return (ip.value & mask) === cidr.base;
}

/** Refused ranges, most specific first (metadata addresses sit inside link-local and ULA). */
const RANGES: readonly { cidr: Cidr; category: RefusedCategory }[] = (
  [
    ['169.254.169.254/32', 'cloud metadata'], // AWS, GCP, Azure, OCI, DigitalOcean...
    ['169.254.170.2/32', 'cloud metadata'], // AWS ECS task metadata
    ['100.100.100.200/32', 'cloud metadata'], // Alibaba Cloud
    ['fd00:ec2::254/128', 'cloud metadata'], // AWS IMDS over IPv6
    ['0.0.0.0/8', 'unspecified'],
    ['10.0.0.0/8', 'private'],
    ['100.64.0.0/10', 'carrier-grade NAT'],
    ['127.0.0.0/8', 'loopback'],
    ['169.254.0.0/16', 'link-local'],
    ['172.16.0.0/12', 'private'],
    ['192.0.0.0/24', 'reserved'],
    ['192.0.2.0/24', 'reserved'],
    ['192.88.99.0/24', 'reserved'],
    ['192.168.0.0/16', 'private'],
    ['198.18.0.0/15', 'reserved'],
    ['198.51.100.0/24', 'reserved'],
    ['203.0.113.0/24', 'reserved'],
    ['224.0.0.0/4', 'multicast'],
    ['255.255.255.255/32', 'broadcast'],
    ['240.0.0.0/4', 'reserved'],
    ['::/128', 'unspecified'],
    ['::1/128', 'loopback'],
    ['::/96', 'reserved'], // IPv4-compatible (deprecated)
    ['64:ff9b:1::/48', 'private'], // local-use NAT64
    ['100::/64', 'reserved'], // discard
    ['2001::/32', 'reserved'], // Teredo
    ['2001:db8::/32', 'reserved'], // documentation
    ['fc00::/7', 'private'], // unique local
    ['fe80::/10', 'link-local'],
    ['fec0::/10', 'private'], // site-local (deprecated)
    ['ff00::/8', 'multicast'],
  ] as const
).map(([cidr, category]) => ({ cidr: parseCidr(cidr), category }));

const MAPPED = parseCidr('::ffff:0:0/96');
const NAT64 = parseCidr('64:ff9b::/96');
const SIX_TO_FOUR = parseCidr('2002::/16');

/** The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), if any. */
function embeddedV4(ip: Ip): Ip | null {
  if (ip.family !== 6) return null;
  if (contains(MAPPED, ip) || contains(NAT64, ip))
    return { family: 4, value: ip.value & 0xffffffffn };
  if (contains(SIX_TO_FOUR, ip)) return { family: 4, value: (ip.value >> 80n) & 0xffffffffn };
  return null;
}

function classifyIp(ip: Ip): { category: RefusedCategory; range: string } | null {
  const v4 = embeddedV4(ip);
  if (v4) {
    const inner = classifyIp(v4);
    return inner ? { ...inner, range: `${inner.range}, carried in IPv6` } : null;
  }
  const hit = RANGES.find((r) => contains(r.cidr, ip));
  return hit ? { category: hit.category, range: hit.cidr.text } : null;
}

/** The refused range an address falls in, or null for a public address. */
export function classifyAddress(
  address: string,
): { category: RefusedCategory; range: string } | null {
  const ip = parseIp(address);
  if (!ip) return { category: 'reserved', range: 'not an IP address' };
  return classifyIp(ip);
}

/** Host names of metadata services, refused by name before any lookup. */
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.internal',
]);

export interface EgressPolicy {
  allowed: readonly Cidr[];
}

export function egressPolicy(allowedCidrs: readonly string[]): EgressPolicy {
  return { allowed: allowedCidrs.map(parseCidr) };
}

/** Why this address may not be reached, or null when it may. */
export function refusalOf(address: string, policy: EgressPolicy): string | null {
  const ip = parseIp(address);
  if (!ip) return `${address} is not an IP address`;
  const cls = classifyIp(ip);
  if (!cls) return null;
  if (cls.category === 'cloud metadata')
    return `${address} is a cloud metadata service (${cls.range}); it is never reached`;
  const v4 = embeddedV4(ip);
  if (policy.allowed.some((c) => contains(c, ip) || (v4 !== null && contains(c, v4)))) return null;
  return `${address} is in a ${cls.category} range (${cls.range}) and not in AGENTLESS_ALLOWED_CIDRS`;
}

export interface CheckedServer {
  /** Canonical URL: origin plus path, without a trailing slash. */
  server: string;
  hostname: string;
  /** Every address the name resolved to (all checked). */
  addresses: string[];
  /** Connect here and nowhere else. */
  pinned: { address: string; family: Family };
}

/**
 * What a URL may look like. Agentless API servers (the default): https only, no query. Alert
 * webhooks (WEBHOOK_URL_FORM): http or https, a query allowed (incoming-webhook URLs carry one).
 */
export interface UrlForm {
  protocols: readonly ('https:' | 'http:')[];
  allowQuery: boolean;
  /** How the URL is named in messages. */
  what: string;
  example: string;
}

const API_SERVER_FORM: UrlForm = {
  protocols: ['https:'],
  allowQuery: false,
  what: 'server',
  example: 'https://api.cluster.example:6443',
};

export const WEBHOOK_URL_FORM: UrlForm = {
  protocols: ['https:', 'http:'],
  allowQuery: true,
  what: 'webhook',
  example: 'https://hooks.example.com/plumbline',
};

/** Check the URL's form without resolving anything: https, no credentials, query or fragment. */
export function parseServerUrl(
  raw: string,
  form: UrlForm = API_SERVER_FORM,
): { url: URL; hostname: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new EgressRefusedError(`the ${form.what} is not a URL (e.g. ${form.example})`);
  }
  if (!form.protocols.includes(url.protocol as 'https:' | 'http:'))
    throw new EgressRefusedError(
      form === API_SERVER_FORM
        ? `only https:// API servers are accepted (got ${url.protocol.replace(':', '')})`
        : `only http:// and https:// ${form.what} URLs are accepted (got ${url.protocol.replace(':', '')})`,
    );
  if (url.username || url.password)
    throw new EgressRefusedError(`the ${form.what} URL may not carry a user name or password`);
  if (url.hash || (url.search && !form.allowQuery))
    throw new EgressRefusedError(
      form.allowQuery
        ? `the ${form.what} URL may not carry a fragment`
        : `the ${form.what} URL may not carry a query or a fragment`,
    );
  const hostname = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (!hostname) throw new EgressRefusedError(`the ${form.what} URL has no host`);
  if (METADATA_NAMES.has(hostname))
    throw new EgressRefusedError(`${hostname} is a cloud metadata service; it is never reached`);
  return { url, hostname };
}

export type Resolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Check a server URL and every address its host resolves to; the result says where to connect.
 * Throws EgressRefusedError with the reason (no request is made to the server).
 */
export async function checkServer(
  raw: string,
  policy: EgressPolicy,
  opts: { timeoutMs: number; resolve?: Resolver | undefined; form?: UrlForm },
): Promise<CheckedServer> {
  const { url, hostname } = parseServerUrl(raw, opts.form);
  let addresses: { address: string; family: number }[];
  const literal = isIP(hostname);
  if (literal) addresses = [{ address: hostname, family: literal }];
  else {
    try {
      addresses = await withTimeout(
        (opts.resolve ?? systemResolver)(hostname),
        opts.timeoutMs,
        `resolving ${hostname}`,
      );
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new EgressRefusedError(
        `${hostname} cannot be resolved (${code ?? (e as Error).message})`,
      );
    }
    if (!addresses.length) throw new EgressRefusedError(`${hostname} resolves to no address`);
  }
  for (const a of addresses) {
    const why = refusalOf(a.address, policy);
    if (why) throw new EgressRefusedError(literal ? why : `${hostname} resolves to ${why}`);
  }
  const first = addresses.find((a) => a.family === 4) ?? addresses[0]!;
  return {
    server: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    hostname,
    addresses: addresses.map((a) => a.address),
    pinned: { address: first.address, family: first.family === 6 ? 6 : 4 },
  };
}
