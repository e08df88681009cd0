import { isIP } from 'node:net';
import { z } from 'zod';
import {
  SNAPSHOT_MAX_DECOMPRESSED_MB_CEILING,
  SNAPSHOT_MAX_DECOMPRESSED_MB_DEFAULT,
} from '@plumbline/contracts';

/** The processes that read configuration; each validates only what it uses. */
export type AppName = 'api' | 'worker' | 'seed' | 'migrate';

interface VarSpec {
  schema: z.ZodType;
  description: string;
  /** Default shown in docs; the schema applies it. */
  default?: string;
  apps: readonly AppName[];
  secret?: boolean;
}

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
/** A 'true' | 'false' switch, read as a boolean. */
const onOff = (fallback: 'true' | 'false') =>
  z
    .enum(['true', 'false'])
    .default(fallback)
    .transform((v) => v === 'true');
const url = (protocols: string[]) =>
  z
    .string()
    .min(1)
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a ${protocols.join(' or ')} URL`,
    );

/** One AES-256 key of the keyring: `id` is written into every ciphertext it produces. */
export interface EncryptionKey {
  id: number;
  key: Buffer;
}

const KEY_BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/**
 * `base64` (one key, id 1) or `id:base64,id:base64,...`: the first key encrypts, all decrypt.
 * Each key is 32 random bytes (`openssl rand -base64 32`). Problems never echo the value.
 */
export const encryptionKeysSchema = z.string().transform((text, ctx): EncryptionKey[] => {
  const out: EncryptionKey[] = [];
  const entries = text.split(',').map((e) => e.trim());
  for (const [i, entry] of entries.entries()) {
    const m = /^(?:(\d{1,3}):)?(.+)$/.exec(entry);
    const id = m?.[1] === undefined ? (entries.length === 1 ? 1 : NaN) : Number(m[1]);
    const b64 = m?.[2] ?? '';
    if (!Number.isInteger(id) || id < 1 || id > 255) {
      ctx.addIssue({
        code: 'custom',
        message: `key ${i + 1}: give each of several keys an id from 1 to 255 (id:base64)`,
      });
      continue;
    }
    if (!KEY_BASE64.test(b64) || Buffer.from(b64, 'base64').length !== 32) {
      ctx.addIssue({
        code: 'custom',
        message: `key ${i + 1}: must be 32 bytes in base64 (openssl rand -base64 32)`,
      });
      continue;
    }
    if (out.some((k) => k.id === id)) {
      ctx.addIssue({ code: 'custom', message: `key id ${id} appears twice` });
      continue;
    }
    out.push({ id, key: Buffer.from(b64, 'base64') });
  }
  return out;
});

/** Comma-separated CIDRs (`10.0.0.0/8, fd00::/8, 127.0.0.1/32`); a bare address is a /32 or /128. */
export const cidrListSchema = z.string().transform((text, ctx): string[] => {
  const out: string[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    const bits = prefix === undefined ? max : Number(prefix);
    if (
      !family ||
      !/^\d{0,3}$/.test(prefix ?? '') ||
      !Number.isInteger(bits) ||
      bits < 0 ||
      bits > max
    ) {
      ctx.addIssue({ code: 'custom', message: `"${entry}" is not an IPv4 or IPv6 CIDR` });
      continue;
    }
    out.push(`${address}/${bits}`);
  }
  return out;
});

/**
 * `smtp://[user:pass@]host[:port]` or `smtps://...`: a host, no path beyond `/`, and only the
 * query options nodemailer reads safely. Problems never echo the value (it may hold a password).
 */
export const smtpUrlSchema = z.string().superRefine((value, ctx) => {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an smtp:// or smtps:// URL' });
    return;
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    ctx.addIssue({ code: 'custom', message: 'must be an smtp:// or smtps:// URL' });
  else if (!u.hostname) ctx.addIssue({ code: 'custom', message: 'must name a host' });
  else if (u.pathname && u.pathname !== '/')
    ctx.addIssue({ code: 'custom', message: 'must have no path (smtp://user:pass@host:port)' });
  else if (u.password && !u.username)
    ctx.addIssue({ code: 'custom', message: 'has a password without a user name' });
});

/** `address` or `Name <address>`, one line. */
export const mailFromSchema = z
  .string()
  .trim()
  .max(320)
  .regex(
    /^(?:[^\r\n<>@]{0,200}<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/,
    'must be an address or `Name <address>`',
  );

/**
 * Every environment variable Plumbline reads, in one place. Documented in
 * docs/ARCHITECTURE.md (a test checks the table lists each of them).
 */
export const ENV_VARS = {
  NODE_ENV: {
    schema: z.enum(['development', 'test', 'production']).default('development'),
    default: 'development',
    description: 'Runtime mode; production turns on secure cookies and hides error internals.',
    apps: ['api', 'worker', 'seed', 'migrate'],
  },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    default: 'info',
    description: 'Minimum level of the JSON logs written to stdout.',
    apps: ['api', 'worker', 'seed', 'migrate'],
  },
  DATABASE_URL: {
    schema: url(['postgres:', 'postgresql:']),
    description: 'PostgreSQL connection string (the demo starts embedded PGlite when unset).',
    apps: ['api', 'worker', 'seed', 'migrate'],
    secret: true,
  },
  DATABASE_POOL_SIZE: {
    schema: positiveInt.max(100).default(10),
    default: '10',
    description:
      'Maximum PostgreSQL connections per process, kept open while idle (the API with NODE_ENV=production opens them all at boot).',
    apps: ['api', 'worker'],
  },
  DATABASE_PREPARED_STATEMENTS: {
    schema: onOff('true'),
    default: 'true',
    description:
      "Plan the dashboard's hot read queries once per connection (named prepared statements). Set false behind a pooler in transaction mode (PgBouncer) and for the demo's embedded database, where connections share one session.",
    apps: ['api', 'worker', 'seed'],
  },
  READ_CHANGE_FEED: {
    schema: onOff('true'),
    default: 'true',
    description:
      "Serve dashboard pages nothing has changed since from the API's memory, told of changes by PostgreSQL (LISTEN/NOTIFY on one extra connection per API process). Set false behind a pooler in transaction mode (PgBouncer), which does not deliver notifications: every read then asks the database.",
    apps: ['api'],
  },
  REDIS_URL: {
    schema: url(['redis:', 'rediss:']).optional(),
    description:
      'Redis for the BullMQ job queue and worker heartbeats. Unset: the API runs jobs in-process (local/demo only).',
    apps: ['api', 'worker'],
    secret: true,
  },
  QUEUE_PREFIX: {
    schema: z
      .string()
      .regex(/^[a-z0-9:_-]{1,40}$/)
      .default('plumbline'),
    default: 'plumbline',
    description: 'Key prefix of the BullMQ queues in Redis (lets environments share one Redis).',
    apps: ['api', 'worker'],
  },
  API_HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    default: '127.0.0.1',
    description: 'Interface the API listens on (0.0.0.0 in containers).',
    apps: ['api'],
  },
  API_PORT: {
    schema: port.default(3000),
    default: '3000',
    description: 'Port the API (and the built web app) is served on.',
    apps: ['api'],
  },
  SNAPSHOT_MAX_COMPRESSED_MB: {
    schema: positiveInt.max(4096).default(64),
    default: '64',
    description: 'Largest snapshot upload accepted, as sent (gzip), in MiB; larger bodies get 413.',
    apps: ['api'],
  },
  SNAPSHOT_MAX_DECOMPRESSED_MB: {
    schema: positiveInt
      .max(SNAPSHOT_MAX_DECOMPRESSED_MB_CEILING)
      .default(SNAPSHOT_MAX_DECOMPRESSED_MB_DEFAULT),
    default: String(SNAPSHOT_MAX_DECOMPRESSED_MB_DEFAULT),
    description: `Largest snapshot accepted once decompressed, in MiB (gzip-bomb guard, enforced while inflating); 413 beyond. At most ${SNAPSHOT_MAX_DECOMPRESSED_MB_CEILING}, well below V8's largest string (~512 Mi).`,
    apps: ['api', 'worker'],
  },
  SNAPSHOT_DECODE_THREADS: {
    schema: positiveInt.max(16).default(1),
    default: '1',
    description:
      'Worker threads that decode uploaded snapshots (inflate, JSON.parse, contract) off the event loop; more uploads wait their turn.',
    apps: ['api'],
  },
  WORKER_RECONCILE_INTERVAL_MS: {
    schema: positiveInt.min(1000).default(60_000),
    default: '60000',
    description:
      'How often the worker re-queues scans and reports that PostgreSQL shows queued or running without a live job (Redis lost them); also once at start.',
    apps: ['worker'],
  },
  WORKER_JOB_LOCK_MS: {
    schema: positiveInt.min(1000).default(30_000),
    default: '30000',
    description:
      'How long a job stays locked to a worker without renewal; a job whose worker died is retried after it.',
    apps: ['api', 'worker'],
  },
  SESSION_TTL_HOURS: {
    schema: positiveInt.max(24 * 30).default(12),
    default: '12',
    description: 'Lifetime of a sign-in session (httpOnly cookie), in hours.',
    apps: ['api'],
  },
  WEB_DIST_DIR: {
    schema: z.string().min(1).optional(),
    description: 'Folder of the built web app to serve on the same origin (unset: API only).',
    apps: ['api'],
  },
  REPORT_DIST_DIR: {
    schema: z.string().min(1).optional(),
    description:
      'Folder of the built web app holding the PDF report page (report.html); the worker prints it with headless Chromium. Unset: report.render jobs fail at once with that reason.',
    apps: ['api', 'worker'],
  },
  CHROMIUM_PATH: {
    schema: z.string().min(1).default('/usr/bin/chromium'),
    default: '/usr/bin/chromium',
    description:
      'Chromium executable that renders PDF reports (one warm browser per process); checked at start and shown by the health checks.',
    apps: ['api', 'worker'],
  },
  REPORT_RENDER_TIMEOUT_MS: {
    schema: positiveInt.min(5000).max(600_000).default(60_000),
    default: '60000',
    description:
      'Longest time one PDF may take to render (browser start included) before its job fails with the reason.',
    apps: ['api', 'worker'],
  },
  WORKER_CONCURRENCY: {
    schema: positiveInt.max(64).default(2),
    default: '2',
    description: 'Jobs processed at once per worker process, per queue.',
    apps: ['api', 'worker'],
  },
  ROLLUP_DEBOUNCE_MS: {
    schema: z.coerce.number().int().min(0).max(60_000).default(1000),
    default: '1000',
    description:
      'Base debounce window of the organisation roll-up: every scan analysed (and every edit) in one window shares one org.rollup job, run when the window ends. A worker widens the window of the roll-up requests its analyses make to 4x the time its last roll-up of that organisation took, rounded up to this base times a power of two, at most 32 s; 0 runs one per request.',
    apps: ['api', 'worker'],
  },
  WORKER_HEARTBEAT_INTERVAL_MS: {
    schema: positiveInt.min(500).default(5000),
    default: '5000',
    description: 'How often the worker writes its heartbeat to Redis.',
    apps: ['worker'],
  },
  SHUTDOWN_GRACE_MS: {
    schema: positiveInt.min(1000).max(600_000).default(15_000),
    default: '15000',
    description:
      'On SIGTERM, how long the API waits for in-flight requests (and in-process jobs) and the worker for in-flight jobs; then unfinished jobs go back to the queue and the process exits.',
    apps: ['api', 'worker'],
  },
  METRICS_TOKEN: {
    schema: z.string().min(16, 'must have at least 16 characters').max(200).optional(),
    description:
      'Bearer token required on GET /metrics (API and worker) when set. Required by the API when NODE_ENV=production (it refuses to start without it: its /metrics shares the public port); elsewhere unset leaves /metrics open. The worker serves metrics only on its own WORKER_METRICS_PORT.',
    apps: ['api', 'worker'],
    secret: true,
  },
  TRUST_PROXY: {
    schema: cidrListSchema.default([]),
    default: '',
    description:
      'Comma-separated CIDRs of the reverse proxies / load balancers in front of the API. X-Forwarded-For and X-Forwarded-Proto are believed only from these addresses (client address for sign-in limits and audit, https for HSTS). Empty: trust no proxy, the peer address is the client.',
    apps: ['api'],
  },
  WORKER_METRICS_PORT: {
    schema: port.default(0),
    default: '0',
    description:
      "Port of the worker's Prometheus endpoint (plain HTTP, GET /metrics only); 0 turns it off.",
    apps: ['worker'],
  },
  WORKER_METRICS_HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    default: '127.0.0.1',
    description: "Interface of the worker's metrics endpoint (0.0.0.0 in containers).",
    apps: ['worker'],
  },
  PLUMBLINE_ENCRYPTION_KEY: {
    schema: encryptionKeysSchema.optional(),
    description:
      'Key(s) encrypting cluster connection credentials (AES-256-GCM): base64 of 32 random bytes, or id:base64,id:base64 for rotation (the first encrypts, all decrypt). Unset: agentless scans are refused.',
    apps: ['api', 'worker'],
    secret: true,
  },
  AGENTLESS_ALLOWED_CIDRS: {
    schema: cidrListSchema.default([]),
    default: '',
    description:
      'Comma-separated CIDRs that agentless scans may reach although private, loopback, link-local or otherwise reserved (cloud metadata addresses stay refused).',
    apps: ['api', 'worker'],
  },
  AGENTLESS_CONNECT_TIMEOUT_MS: {
    schema: positiveInt.max(60_000).default(5000),
    default: '5000',
    description:
      'Agentless scans: longest wait for DNS resolution and for the TCP + TLS connection to a cluster API.',
    apps: ['api', 'worker'],
  },
  AGENTLESS_REQUEST_TIMEOUT_MS: {
    schema: positiveInt.max(600_000).default(30_000),
    default: '30000',
    description: 'Agentless scans: longest time one request to a cluster API may take.',
    apps: ['api', 'worker'],
  },
  AGENTLESS_SCAN_TIMEOUT_MS: {
    schema: positiveInt.max(6 * 3_600_000).default(600_000),
    default: '600000',
    description: 'Agentless scans: longest time a whole scan may take before it fails.',
    apps: ['api', 'worker'],
  },
  AGENTLESS_MAX_RESPONSE_MB: {
    schema: positiveInt.max(1024).default(64),
    default: '64',
    description:
      'Agentless scans: largest answer accepted from a cluster API, in MiB (decompressed).',
    apps: ['api', 'worker'],
  },
  SMTP_URL: {
    schema: smtpUrlSchema.optional(),
    description:
      'Mail server the email.send job delivers through: smtp://[user:pass@]host[:port] (STARTTLS when offered) or smtps://... (TLS from the start). Unset: mails are written to the log and kept in the development mailbox (GET /v1/dev/mailbox), except with NODE_ENV=production, where they fail with that reason and are never logged.',
    apps: ['api', 'worker'],
    secret: true,
  },
  MAIL_FROM: {
    schema: mailFromSchema.default('Plumbline <no-reply@plumbline.local>'),
    default: 'Plumbline <no-reply@plumbline.local>',
    description: 'Sender of every mail: an address, or `Name <address>`.',
    apps: ['api', 'worker'],
  },
  APP_URL: {
    schema: url(['http:', 'https:'])
      .transform((v) => v.replace(/\/+$/, ''))
      .default('http://127.0.0.1:3000'),
    default: 'http://127.0.0.1:3000',
    description:
      'Public address of the web app, used for the links in mails (password reset, email verification, invites).',
    apps: ['api', 'worker'],
  },
  SEED_DEMO_PASSWORD: {
    schema: z.string().min(12).default('plumbline-demo'),
    default: 'plumbline-demo',
    description: 'Password of the seeded demo user (local demo only).',
    apps: ['seed'],
    secret: true,
  },
} as const satisfies Record<string, VarSpec>;

export type EnvVarName = keyof typeof ENV_VARS;

type VarsOf<A extends AppName> = {
  [K in EnvVarName as A extends (typeof ENV_VARS)[K]['apps'][number] ? K : never]: z.output<
    (typeof ENV_VARS)[K]['schema']
  >;
};

export type ApiEnv = VarsOf<'api'>;
export type WorkerEnv = VarsOf<'worker'>;
export type SeedEnv = VarsOf<'seed'>;
export type MigrateEnv = VarsOf<'migrate'>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Rules between variables, checked after each variable on its own. */
const CROSS_CHECKS: ((app: AppName, vars: Record<string, unknown>) => string | null)[] = [
  // The API serves /metrics on its public port: in production it must not be open.
  (app, vars) =>
    app === 'api' && vars.NODE_ENV === 'production' && !vars.METRICS_TOKEN
      ? 'METRICS_TOKEN is required when NODE_ENV=production: the API serves /metrics on its public port (generate one with `openssl rand -hex 32`; the scraper sends it as a bearer token)'
      : null,
];

/**
 * Parse and validate the variables one app uses. Called once at boot; the result is frozen
 * and passed down by dependency injection, never re-read from process.env.
 */
export function loadEnv<A extends AppName>(
  app: A,
  env: Record<string, string | undefined> = process.env,
): Readonly<VarsOf<A>> {
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(ENV_VARS) as [EnvVarName, VarSpec][]) {
    if (!spec.apps.includes(app)) continue;
    const raw = env[name];
    const value = raw === '' ? undefined : raw;
    const parsed = spec.schema.safeParse(value);
    if (parsed.success) {
      out[name] = parsed.data;
    } else {
      const reason = value === undefined ? 'is required' : parsed.error.issues[0]?.message;
      // Never echo secret values back in errors or logs.
      const shown = spec.secret || value === undefined ? '' : ` (got "${value}")`;
      problems.push(`${name} ${reason}${shown}: ${spec.description}`);
    }
  }
  for (const rule of CROSS_CHECKS) {
    const problem = rule(app, out);
    if (problem) problems.push(problem);
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(out) as Readonly<VarsOf<A>>;
}

/** Hide credentials in a connection URL before logging it. */
export function redactUrl(value: string | undefined): string | undefined {
  if (!value) return value;
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
