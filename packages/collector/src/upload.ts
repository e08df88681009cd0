import {
  errorResponseSchema,
  INGEST_ACCEPTED,
  INGEST_DUPLICATE,
  INGEST_IDEMPOTENCY_HEADER,
  INGEST_RETRYABLE_STATUSES,
  ingestResponseSchema,
  type IngestResponse,
} from '@plumbline/contracts';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gzipSync } from 'node:zlib';
import { backoffDelay, parseRetryAfter, realSleep, type Sleep } from './rate-limit.js';

/**
 * Uploads a snapshot to the Plumbline API (POST /v1/snapshots): gzip body, scanner token as a
 * Bearer credential, `Idempotency-Key` = sha256 of the uncompressed JSON, bounded retries with
 * backoff on network errors, 408/425/429/5xx. The token never appears in errors or logs.
 */

export interface UploadOptions {
  /** Full endpoint URL, e.g. https://plumbline.example.com/v1/snapshots. */
  url: string;
  token: string;
  /** Attempts in total, the first included (default 5). */
  maxAttempts?: number;
  /** First backoff (default 1 s), doubled per attempt, capped at maxDelayMs (default 30 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  userAgent?: string;
  sleep?: Sleep;
  log?: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
}

export interface UploadResult extends IngestResponse {
  attempts: number;
  idempotencyKey: string;
  bytes: number;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly attempts: number,
  ) {
    super(message);
  }
}

/** sha256 hex of the uncompressed snapshot bytes: the same key the API derives. */
export function idempotencyKey(json: Buffer): string {
  return createHash('sha256').update(json).digest('hex');
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: string;
}

function post(
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Answer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 1024 * 1024) chunks.push(c);
      });
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: Array.isArray(res.headers['retry-after'])
            ? res.headers['retry-after'][0]
            : res.headers['retry-after'],
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('timeout', () =>
      req.destroy(new Error(`no answer in ${Math.round(timeoutMs / 1000)} s`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The server's error message (never the request's headers). */
function describe(a: Answer): string {
  try {
    const parsed = errorResponseSchema.safeParse(JSON.parse(a.body));
    if (parsed.success)
      return `${a.status} ${parsed.data.error.code}: ${parsed.data.error.message}`;
  } catch {
    // not JSON
  }
  return `HTTP ${a.status}`;
}

/** A snapshot ready to send: its gzip bytes and the sha256 of the uncompressed JSON. */
export interface PreparedUpload {
  gzip: Buffer;
  idempotencyKey: string;
}

/**
 * Upload a snapshot: `json` (the uncompressed snapshot bytes), or one already gzipped and
 * hashed (encodeSnapshot(), for large snapshots). Resolves with the API's answer.
 */
export async function uploadSnapshot(
  json: Buffer | PreparedUpload,
  opts: UploadOptions,
): Promise<UploadResult> {
  let url: URL;
  try {
    url = new URL(opts.url);
  } catch {
    throw new UploadError('the upload URL is not a valid URL', null, 0);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UploadError('the upload URL must be http(s)', null, 0);
  if (url.username || url.password)
    throw new UploadError(
      'the upload URL must not carry credentials; use the scanner token',
      null,
      0,
    );
  if (!opts.token || /\s/.test(opts.token))
    throw new UploadError('the scanner token is empty or malformed', null, 0);
  if (url.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
    opts.log?.('warn', 'uploading over plain HTTP: the scanner token is not encrypted in transit', {
      url: `${url.origin}${url.pathname}`,
    });
  const key = Buffer.isBuffer(json) ? idempotencyKey(json) : json.idempotencyKey;
  const body = Buffer.isBuffer(json) ? gzipSync(json) : json.gzip;
  const headers = {
    Authorization: `Bearer ${opts.token}`,
    'Content-Type': 'application/json',
    'Content-Encoding': 'gzip',
    'Content-Length': String(body.length),
    [INGEST_IDEMPOTENCY_HEADER]: key,
    'User-Agent': opts.userAgent ?? 'plumbline-scanner',
  };
  const maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
  const policy = {
    maxRetries: maxAttempts - 1,
    baseDelayMs: opts.baseDelayMs ?? 1000,
    maxDelayMs: opts.maxDelayMs ?? 30_000,
  };
  const sleep = opts.sleep ?? realSleep;
  const where = `${url.origin}${url.pathname}`;
  // Belt and braces: a server that echoes the token back still never gets it into a message.
  const scrub = (text: string) => text.split(opts.token).join('[REDACTED]');
  let last = '';
  let lastStatus: number | null = null;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    let answer: Answer | null = null;
    try {
      answer = await post(url, body, headers, opts.timeoutMs ?? 120_000);
    } catch (e) {
      last = scrub((e as Error).message);
      lastStatus = null;
    }
    if (answer) {
      lastStatus = answer.status;
      if (answer.status === INGEST_ACCEPTED || answer.status === INGEST_DUPLICATE) {
        let parsed;
        try {
          parsed = ingestResponseSchema.safeParse(JSON.parse(answer.body));
        } catch {
          parsed = null;
        }
        if (!parsed?.success)
          throw new UploadError(
            `${where} answered ${answer.status} with an unexpected body`,
            answer.status,
            attempt,
          );
        opts.log?.(
          'info',
          parsed.data.duplicate ? 'snapshot was already uploaded' : 'snapshot uploaded',
          {
            url: where,
            scanId: parsed.data.scanId,
            attempts: attempt,
          },
        );
        return { ...parsed.data, attempts: attempt, idempotencyKey: key, bytes: body.length };
      }
      last = scrub(describe(answer));
      if (!INGEST_RETRYABLE_STATUSES.includes(answer.status))
        throw new UploadError(`upload to ${where} refused: ${last}`, answer.status, attempt);
    }
    if (attempt < maxAttempts) {
      const retryAfter = answer ? parseRetryAfter(answer.retryAfter, Date.now()) : null;
      const delay = backoffDelay(policy, attempt - 1, retryAfter);
      opts.log?.('warn', 'upload failed; retrying', {
        url: where,
        attempt,
        reason: last,
        retryInMs: Math.round(delay),
      });
      await sleep(delay);
    }
  }
  throw new UploadError(
    `upload to ${where} failed after ${maxAttempts} attempts: ${last}`,
    lastStatus,
    maxAttempts,
  );
}
