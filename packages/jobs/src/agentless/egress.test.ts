import {
  checkServer,
  classifyAddress,
  EgressRefusedError,
  egressPolicy,
  parseCidr,
  parseIp,
  refusalOf,
  type Resolver,
} from './egress.js';

const none = egressPolicy([]);
const fixed =
  (answers: Record<string, string[]>): Resolver =>
  (host) => {
    const a = answers[host];
    if (!a) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    return Promise.resolve(
      a.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  };

describe('address parsing', () => {
  it('parses IPv4, IPv6 (compressed, dotted tail, zone) and CIDRs', () => {
    expect(parseIp('10.1.2.3')).toEqual({ family: 4, value: 0x0a010203n });
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('::ffff:127.0.0.1')).toEqual(parseIp('::ffff:7f00:1'));
    expect(parseIp('fe80::1%eth0')).toEqual(parseIp('fe80::1'));
    expect(parseIp('2001:db8:0:0:0:0:0:1')).toEqual(parseIp('2001:db8::1'));
    for (const bad of ['256.1.1.1', '1.2.3', 'example.com', '1::2::3', ''])
      expect(parseIp(bad)).toBeNull();
    expect(parseCidr('10.9.8.7/8').base).toBe(0x0a000000n);
    expect(() => parseCidr('10.0.0.0/33')).toThrow();
    expect(() => parseCidr('nope/8')).toThrow();
  });
});

describe('each refused range', () => {
  const cases: [string, string][] = [
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['169.254.0.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.170.2', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['100.127.255.255', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    // IPv6 forms of refused IPv4 addresses are refused as what they carry
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['64:ff9b::a9fe:a9fe', 'cloud metadata'],
    ['64:ff9b::c0a8:101', 'private'],
    ['2002:7f00:1::1', 'loopback'],
  ];
  it.each(cases)('%s is refused as %s', (address, category) => {
    expect(classifyAddress(address)?.category).toBe(category);
    expect(refusalOf(address, none)).toMatch(category === 'cloud metadata' ? /metadata/ : category);
  });

  it('the edges of a range are exact', () => {
    expect(classifyAddress('172.15.255.255')).toBeNull();
    expect(classifyAddress('172.32.0.0')).toBeNull();
    expect(classifyAddress('100.63.255.255')).toBeNull();
    expect(classifyAddress('100.128.0.0')).toBeNull();
    expect(classifyAddress('11.0.0.0')).toBeNull();
    expect(classifyAddress('fbff::1')).toBeNull();
  });

  it('public addresses pass', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '203.0.114.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      expect(refusalOf(a, none)).toBeNull();
  });
});

describe('the allowlist', () => {
  const allow = egressPolicy(['127.0.0.1/32', '10.20.0.0/16', 'fd00::/8', '169.254.0.0/16']);

  it('permits exactly what it lists, IPv4-mapped forms included', () => {
    expect(refusalOf('127.0.0.1', allow)).toBeNull();
    expect(refusalOf('::ffff:127.0.0.1', allow)).toBeNull();
    expect(refusalOf('10.20.3.4', allow)).toBeNull();
    expect(refusalOf('fd00::5', allow)).toBeNull();
    expect(refusalOf('127.0.0.2', allow)).toMatch(/loopback .* not in AGENTLESS_ALLOWED_CIDRS/);
    expect(refusalOf('10.21.0.1', allow)).toMatch(/private/);
    expect(refusalOf('::1', allow)).toMatch(/loopback/);
  });

  it('never permits a cloud metadata address, even inside an allowlisted range', () => {
    expect(refusalOf('169.254.1.1', allow)).toBeNull();
    expect(refusalOf('169.254.169.254', allow)).toMatch(/metadata/);
    expect(refusalOf('fd00:ec2::254', allow)).toMatch(/metadata/);
  });
});

describe('checkServer', () => {
  const opts = (answers: Record<string, string[]>) => ({
    timeoutMs: 1000,
    resolve: fixed(answers),
  });

  it('refuses non-https URLs, credentials, queries and metadata names before resolving', async () => {
    const resolve = jest.fn(fixed({}));
    for (const [url, why] of [
      ['http://api.example.com', /only https/],
      ['ftp://api.example.com', /only https/],
      ['https://user:pw@api.example.com', /user name or password/],
      ['https://api.example.com/?debug=1', /query/],
      ['https://metadata.google.internal', /metadata/],
      ['https://METADATA.google.internal.', /metadata/],
      ['not a url', /not a URL/],
    ] as const) {
      await expect(checkServer(url, none, { timeoutMs: 1000, resolve })).rejects.toThrow(why);
    }
    expect(resolve).not.toHaveBeenCalled();
  });

  it('refuses a name that resolves to a private address', async () => {
    await expect(
      checkServer(
        'https://kube.example.com:6443',
        none,
        opts({ 'kube.example.com': ['10.0.0.5'] }),
      ),
    ).rejects.toThrow(/kube.example.com resolves to 10.0.0.5 is in a private range/);
  });

  it('checks EVERY address: one private answer among public ones refuses the name', async () => {
    const answers = { 'kube.example.com': ['8.8.8.8', '2606:4700::1', '192.168.0.10'] };
    await expect(checkServer('https://kube.example.com', none, opts(answers))).rejects.toThrow(
      EgressRefusedError,
    );
  });

  it('refuses address literals in refused ranges, and names that do not resolve', async () => {
    await expect(checkServer('https://127.0.0.1:6443', none, opts({}))).rejects.toThrow(/loopback/);
    await expect(checkServer('https://[::1]:6443', none, opts({}))).rejects.toThrow(/loopback/);
    // Other spellings of 127.0.0.1 are normalised by the URL parser, then refused.
    for (const url of ['https://2130706433', 'https://0x7f.0.0.1', 'https://127.1'])
      await expect(checkServer(url, none, opts({}))).rejects.toThrow(/127.0.0.1 is in a loopback/);
    await expect(checkServer('https://[::ffff:a9fe:a9fe]', none, opts({}))).rejects.toThrow(
      /metadata/,
    );
    await expect(checkServer('https://nowhere.example', none, opts({}))).rejects.toThrow(
      /cannot be resolved \(ENOTFOUND\)/,
    );
  });

  it('gives up on DNS after the timeout', async () => {
    const hang: Resolver = () => new Promise(() => undefined);
    await expect(
      checkServer('https://slow.example.com', none, { timeoutMs: 20, resolve: hang }),
    ).rejects.toThrow(/cannot be resolved \(resolving slow.example.com took longer than 20 ms\)/);
  });

  it('passes public and allowlisted endpoints, pinned to a checked address', async () => {
    const pub = await checkServer(
      'https://kube.example.com:6443/prefix/',
      none,
      opts({ 'kube.example.com': ['2606:4700::1', '8.8.4.4'] }),
    );
    expect(pub).toEqual({
      server: 'https://kube.example.com:6443/prefix',
      hostname: 'kube.example.com',
      addresses: ['2606:4700::1', '8.8.4.4'],
      pinned: { address: '8.8.4.4', family: 4 },
    });
    const local = await checkServer(
      'https://127.0.0.1:8443',
      egressPolicy(['127.0.0.0/8']),
      opts({}),
    );
    expect(local.pinned).toEqual({ address: '127.0.0.1', family: 4 });
  });
});
