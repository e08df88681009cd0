import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, ENV_VARS, loadEnv, redactUrl } from './env.js';

const DB = 'postgres://u@localhost:5432/db';
const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');

describe('loadEnv', () => {
  it('applies defaults and coerces numbers', () => {
    const cfg = loadEnv('api', { DATABASE_URL: 'postgres://u@localhost:5432/db' });
    expect(cfg.API_PORT).toBe(3000);
    expect(cfg.REDIS_URL).toBeUndefined();
    expect(cfg.QUEUE_PREFIX).toBe('plumbline');
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('reports every problem at once, naming each variable', () => {
    try {
      loadEnv('api', { API_PORT: 'http', REDIS_URL: 'http://x' });
      throw new Error('expected ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DATABASE_URL is required/);
      expect(problems).toMatch(/API_PORT/);
      expect(problems).toMatch(/REDIS_URL must be a redis: or rediss: URL/);
    }
  });

  it('never echoes secret values', () => {
    try {
      loadEnv('api', { DATABASE_URL: 'mysql://user:hunter2@db/x' });
      throw new Error('expected ConfigError');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('only validates the variables an app uses', () => {
    const cfg = loadEnv('migrate', { DATABASE_URL: 'postgresql://localhost/db', API_PORT: 'x' });
    expect(cfg).not.toHaveProperty('API_PORT');
  });

  it('redacts passwords in URLs', () => {
    expect(redactUrl('postgres://u:secret@h:5432/d')).toBe('postgres://u:***@h:5432/d');
  });

  it('keeps the decompressed snapshot limit far below the V8 string limit', () => {
    expect(loadEnv('api', { DATABASE_URL: DB }).SNAPSHOT_MAX_DECOMPRESSED_MB).toBe(256);
    expect(
      loadEnv('worker', { DATABASE_URL: DB, SNAPSHOT_MAX_DECOMPRESSED_MB: '64' })
        .SNAPSHOT_MAX_DECOMPRESSED_MB,
    ).toBe(64);
    for (const v of ['321', '512', '16384'])
      expect(() => loadEnv('api', { DATABASE_URL: DB, SNAPSHOT_MAX_DECOMPRESSED_MB: v })).toThrow(
        /SNAPSHOT_MAX_DECOMPRESSED_MB/,
      );
  });

  it('documents every variable in docs/ARCHITECTURE.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/ARCHITECTURE.md'), 'utf8');
    const missing = Object.keys(ENV_VARS).filter((name) => !doc.includes(`| \`${name}\``));
    expect(missing).toEqual([]);
  });

  it('reads encryption keys: one key (id 1) or an id:key list, the first encrypting', () => {
    const one = loadEnv('api', { DATABASE_URL: DB, PLUMBLINE_ENCRYPTION_KEY: key(1) });
    expect(one.PLUMBLINE_ENCRYPTION_KEY).toEqual([{ id: 1, key: Buffer.alloc(32, 1) }]);
    const two = loadEnv('worker', {
      DATABASE_URL: DB,
      PLUMBLINE_ENCRYPTION_KEY: `2:${key(2)}, 1:${key(1)}`,
    });
    expect(two.PLUMBLINE_ENCRYPTION_KEY?.map((k) => k.id)).toEqual([2, 1]);
    expect(loadEnv('api', { DATABASE_URL: DB }).PLUMBLINE_ENCRYPTION_KEY).toBeUndefined();
  });

  it('refuses bad encryption keys without echoing them', () => {
    const short = Buffer.alloc(16, 5).toString('base64');
    for (const [value, why] of [
      [short, /32 bytes in base64/],
      [`${key(1)},${key(2)}`, /id from 1 to 255/],
      [`1:${key(1)},1:${key(2)}`, /appears twice/],
      [`0:${key(1)}`, /id from 1 to 255/],
    ] as const) {
      try {
        loadEnv('api', { DATABASE_URL: DB, PLUMBLINE_ENCRYPTION_KEY: value });
        throw new Error('expected ConfigError');
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as Error).message).toMatch(why);
        expect((e as Error).message).not.toContain(value.slice(2, 20));
      }
    }
  });

  it('reads the agentless allowlist as CIDRs', () => {
    const cfg = loadEnv('api', {
      DATABASE_URL: DB,
      AGENTLESS_ALLOWED_CIDRS: '10.0.0.0/8, 127.0.0.1 ,fd00::/8',
    });
    expect(cfg.AGENTLESS_ALLOWED_CIDRS).toEqual(['10.0.0.0/8', '127.0.0.1/32', 'fd00::/8']);
    expect(loadEnv('api', { DATABASE_URL: DB }).AGENTLESS_ALLOWED_CIDRS).toEqual([]);
    expect(() =>
      loadEnv('api', { DATABASE_URL: DB, AGENTLESS_ALLOWED_CIDRS: '10.0.0.0/33' }),
    ).toThrow(/"10.0.0.0\/33" is not an IPv4 or IPv6 CIDR/);
    expect(() =>
      loadEnv('api', { DATABASE_URL: DB, AGENTLESS_ALLOWED_CIDRS: 'example.com/8' }),
    ).toThrow(ConfigError);
  });

  it('the API refuses to start in production without METRICS_TOKEN (its /metrics is on the public port)', () => {
    expect(() => loadEnv('api', { DATABASE_URL: DB, NODE_ENV: 'production' })).toThrow(
      /METRICS_TOKEN is required when NODE_ENV=production/,
    );
    const token = 'a-metrics-token-of-32-characters';
    const cfg = loadEnv('api', { DATABASE_URL: DB, NODE_ENV: 'production', METRICS_TOKEN: token });
    expect(cfg.METRICS_TOKEN).toBe(token);
    // Development and test keep /metrics open for local use; the worker serves it on its own port.
    expect(() => loadEnv('api', { DATABASE_URL: DB, NODE_ENV: 'development' })).not.toThrow();
    expect(() => loadEnv('worker', { DATABASE_URL: DB, NODE_ENV: 'production' })).not.toThrow();
  });

  it('reads SMTP_URL (smtp/smtps, optional credentials), MAIL_FROM and APP_URL; never echoes the URL', () => {
    const cfg = loadEnv('worker', { DATABASE_URL: DB });
    expect(cfg.SMTP_URL).toBeUndefined();
    expect(cfg.MAIL_FROM).toBe('Plumbline <no-reply@plumbline.local>');
    expect(cfg.APP_URL).toBe('http://127.0.0.1:3000');
    for (const ok of [
      'smtp://mail.example.com',
      'smtp://mail.example.com:2525',
      'smtps://user%40example.com:p%40ss@mail.example.com:465',
      'smtp://[::1]:25',
    ])
      expect(loadEnv('api', { DATABASE_URL: DB, SMTP_URL: ok }).SMTP_URL).toBe(ok);
    const secret = 's3cret-smtp-password';
    for (const [bad, reason] of [
      [`https://u:${secret}@mail.example.com`, /must be an smtp:\/\/ or smtps:\/\/ URL/],
      [`smtp://u:${secret}@mail.example.com/inbox`, /must have no path/],
      [`smtp://:${secret}@mail.example.com`, /password without a user name/],
      ['mail.example.com:25', /must be an smtp:\/\/ or smtps:\/\/ URL/],
    ] as const) {
      try {
        loadEnv('api', { DATABASE_URL: DB, SMTP_URL: bad });
        throw new Error(`accepted ${bad}`);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        expect((e as ConfigError).message).toMatch(reason);
        expect((e as ConfigError).message).not.toContain(secret);
      }
    }
    expect(loadEnv('api', { DATABASE_URL: DB, MAIL_FROM: 'ops@acme.test' }).MAIL_FROM).toBe(
      'ops@acme.test',
    );
    for (const bad of ['not an address', 'A <b@c.d>\r\nBcc: x@y.z', 'a@b.c, d@e.f'])
      expect(() => loadEnv('api', { DATABASE_URL: DB, MAIL_FROM: bad })).toThrow(/MAIL_FROM/);
    expect(
      loadEnv('api', { DATABASE_URL: DB, APP_URL: 'https://plumbline.acme.test/' }).APP_URL,
    ).toBe('https://plumbline.acme.test');
    expect(() => loadEnv('api', { DATABASE_URL: DB, APP_URL: 'javascript:alert(1)' })).toThrow(
      /APP_URL/,
    );
  });

  it('reads TRUST_PROXY as CIDRs (none trusted by default) and refuses anything else', () => {
    expect(loadEnv('api', { DATABASE_URL: DB }).TRUST_PROXY).toEqual([]);
    expect(
      loadEnv('api', { DATABASE_URL: DB, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1, fd00::/8' })
        .TRUST_PROXY,
    ).toEqual(['10.0.0.0/8', '127.0.0.1/32', 'fd00::/8']);
    for (const bad of ['loopback', 'true', '10.0.0.0/40', '*', 'proxy.internal'])
      expect(() => loadEnv('api', { DATABASE_URL: DB, TRUST_PROXY: bad })).toThrow(/TRUST_PROXY/);
  });
});
