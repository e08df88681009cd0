import {
  containsCredential,
  fingerprint,
  isSensitiveName,
  looksLikeCredential,
  REDACTED,
  scrubArgs,
  scrubJson,
  scrubText,
  stripUrlCredentials,
} from './credentials.js';

// Obviously fake values of real credential shapes.
const FAKE = {
  openai: 'sk-proj-FAKEfakeFAKEfake1234567890abcd',
  aws: 'AKIAFAKEFAKEFAKE1234',
  google: 'AIzaFAKEfakeFAKEfake1234567890abcdefghi',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmYWtlIn0.fakesignature123',
  github: 'ghp_FAKEfakeFAKEfake1234567890abcdefgh',
  slack: 'xoxb-1234-5678-FAKEfake',
  random: 'Zq8vR2mN4xT7wK1pL9sD3fH6jB5cY0gA',
};

describe('looksLikeCredential', () => {
  it.each(Object.entries(FAKE))('flags %s', (_k, v) => {
    expect(looksLikeCredential(v)).toBe(true);
    expect(looksLikeCredential(`prefix ${v} suffix`)).toBe(true);
  });

  it.each([
    'true',
    'info',
    'http://otel-collector.observability:4317',
    'Always',
    'kube-system',
    '/var/run/calico',
    'can-reach=8.8.8.8',
    'registry.k8s.io/kube-proxy:v1.31.0',
    'calico-kube-controllers-7c8f9d6b5-abcde',
  ])('does not flag %s', (v) => {
    expect(looksLikeCredential(v)).toBe(false);
  });

  it('flags URLs that carry a password', () => {
    expect(looksLikeCredential('postgres://app:hunter2@db:5432/app')).toBe(true);
  });
});

describe('scrubArgs', () => {
  it('redacts flag values, split flags, URL credentials and embedded keys', () => {
    expect(
      scrubArgs([
        '--token=abc',
        '--password',
        'hunter2',
        '--db=postgres://user:pw@db/x',
        `--log-level=debug`,
        `--header=Authorization: Bearer abcdefgh12345678`,
        `sh -c "export OPENAI_API_KEY=${FAKE.openai}; run"`,
        '--enable-network-policy=false',
      ]),
    ).toEqual([
      `--token=${REDACTED}`,
      '--password',
      REDACTED,
      `--db=postgres://${REDACTED}@db/x`,
      '--log-level=debug',
      `--header=Authorization: Bearer ${REDACTED}`,
      `sh -c "export OPENAI_API_KEY=${REDACTED}; run"`,
      '--enable-network-policy=false',
    ]);
  });

  it('leaves ordinary arguments alone', () => {
    const args = ['--metrics-bind-address=:8080', '-v=2', 'serve', '--config', '/etc/app.yaml'];
    expect(scrubArgs(args)).toEqual(args);
  });
});

describe('URL and text scrubbing', () => {
  it('strips userinfo and secret query parameters', () => {
    expect(stripUrlCredentials('https://u:p@api.example.com/v1?api_key=123&x=1')).toBe(
      `https://${REDACTED}@api.example.com/v1?api_key=${REDACTED}&x=1`,
    );
  });

  it('finds quoted JSON keys', () => {
    expect(scrubText('{"k8s_auth_token": "abc"}')).toBe(`{"k8s_auth_token": ${REDACTED}}`);
    expect(containsCredential('{"mode": "vxlan"}')).toBe(false);
  });
});

describe('scrubJson', () => {
  it('redacts sensitive keys and credential-looking values, keeps the rest', () => {
    expect(
      scrubJson({
        spec: {
          apiKey: 'plain',
          endpoint: 'http://x',
          nested: [{ value: FAKE.github }],
          port: 80,
          on: true,
        },
      }),
    ).toEqual({
      spec: {
        apiKey: REDACTED,
        endpoint: 'http://x',
        nested: [{ value: REDACTED }],
        port: 80,
        on: true,
      },
    });
  });
});

describe('fingerprint', () => {
  it('is equal for equal values under one key and differs across keys', () => {
    const k1 = new Uint8Array(32).fill(1);
    const k2 = new Uint8Array(32).fill(2);
    expect(fingerprint(k1, 'v')).toBe(fingerprint(k1, 'v'));
    expect(fingerprint(k1, 'v')).not.toBe(fingerprint(k2, 'v'));
    expect(fingerprint(k1, 'v')).not.toBe(fingerprint(k1, 'w'));
    expect(fingerprint(k1, 'v')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('isSensitiveName: the key name decides, whatever the value looks like', () => {
  const sensitive = [
    'GATEWAY_PWD',
    'DB_PASSWORD',
    'kvstore-password',
    'dbPassword',
    'db_pwd',
    'clientSecret',
    'client-secret',
    'apiKey',
    'api_key',
    'APIKEY',
    'accessKey',
    'privateKey',
    'tlsKey',
    'authToken',
    'token',
    'secret',
    'credentials',
    'AWS_CREDENTIALS',
    'dbpassword',
    'etcdSecretKey',
    'apiKeySecret',
    'passphrase',
  ];
  const notSensitive = [
    'key',
    'keys',
    'name',
    'endpoint',
    'baseUrl',
    'tokenizer',
    'monkey-patch',
    'passthrough',
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'LANGSMITH_TRACING',
    'bypass',
  ];
  it.each(sensitive)('%s is sensitive', (n) => expect(isSensitiveName(n)).toBe(true));
  it.each(notSensitive)('%s is not sensitive', (n) => expect(isSensitiveName(n)).toBe(false));
  it('in configuration, a reference keeps its value (secretName, apiKeySecretRef, tokenFile)', () => {
    for (const n of ['secretName', 'apiKeySecretRef', 'tokenFile', 'passwordPath'])
      expect([n, isSensitiveName(n, true)]).toEqual([n, false]);
    // ...but not in env, where such names are never allowlisted anyway.
    expect(isSensitiveName('TOKEN_FILE')).toBe(true);
  });
  it('scrubJson withholds strings and numbers under sensitive keys, keeps booleans', () => {
    expect(
      scrubJson({ spec: { dbPassword: 'abc', pwd: 1234, keyRotationEnabled: true, port: 5432 } }),
    ).toEqual({
      spec: { dbPassword: REDACTED, pwd: REDACTED, keyRotationEnabled: true, port: 5432 },
    });
  });
});
