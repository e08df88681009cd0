import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import {
  checkServer,
  EgressRefusedError,
  WEBHOOK_URL_FORM,
  type EgressPolicy,
  type Resolver,
} from '../agentless/egress.js';

/**
 * Signed webhooks, following the Standard Webhooks convention (standardwebhooks.com): the secret
 * is `whsec_` + base64 of random bytes; each request carries `webhook-id`, `webhook-timestamp`
 * (Unix seconds) and `webhook-signature: v1,<base64 HMAC-SHA256(secret bytes, "id.timestamp.body")>`.
 */

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** A new secret: 32 random bytes. Shown once; stored sealed. */
export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

function secretBytes(secret: string): Buffer {
  const b64 = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  return Buffer.from(b64, 'base64');
}

/** `v1,<base64 signature>` of one message. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretBytes(secret))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

/** What a receiver does (used by the tests; the recipe is in docs/operations.md). */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const ts = Number(headers.timestamp);
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (!Number.isInteger(ts) || Math.abs(now - ts) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, headers.id, ts, body).slice(3), 'base64');
  return headers.signature.split(' ').some((s) => {
    const [version, sig] = s.split(',');
    if (version !== 'v1' || !sig) return false;
    const got = Buffer.from(sig, 'base64');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

export interface WebhookTarget {
  egress: EgressPolicy;
  resolve?: Resolver | undefined;
  timeoutMs: number;
}

/** Save-time check of a webhook URL (form and every resolved address); throws EgressRefusedError. */
export async function checkWebhookUrl(raw: string, target: WebhookTarget): Promise<void> {
  await checkServer(raw, target.egress, {
    timeoutMs: target.timeoutMs,
    resolve: target.resolve,
    form: WEBHOOK_URL_FORM,
  });
}

export class WebhookHttpError extends Error {
  constructor(
    message: string,
    public readonly status: number | null,
  ) {
    super(message);
    this.name = 'WebhookHttpError';
  }
}

/** Most of a response body that is read (and dropped): receivers answer briefly. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POST `body` to the URL, after checking it again and connecting to the checked address only
 * (a DNS answer that changed since the save cannot send it elsewhere). No redirects are followed.
 * Resolves with the status for 2xx; throws WebhookHttpError otherwise, EgressRefusedError when
 * the URL is refused.
 */
export async function postWebhook(
  rawUrl: string,
  headers: Record<string, string>,
  body: string,
  target: WebhookTarget,
): Promise<number> {
  const checked = await checkServer(rawUrl, target.egress, {
    timeoutMs: target.timeoutMs,
    resolve: target.resolve,
    form: WEBHOOK_URL_FORM,
  });
  const url = new URL(rawUrl.trim());
  const pin = checked.pinned;
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: pin.address, family: pin.family }]);
    else callback(null, pin.address, pin.family);
  };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        lookup,
        agent: false,
        timeout: target.timeoutMs,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Plumbline-Webhooks/1',
          ...headers,
        },
      },
      (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('close', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(status);
          else reject(new WebhookHttpError(`the receiver answered HTTP ${status}`, status));
        });
        res.on('error', () => undefined);
      },
    );
    req.on('timeout', () =>
      req.destroy(new WebhookHttpError(`no answer within ${target.timeoutMs} ms`, null)),
    );
    req.on('error', (e) =>
      reject(
        e instanceof WebhookHttpError
          ? e
          : new WebhookHttpError(
              `the request failed: ${(e as NodeJS.ErrnoException).code ?? e.message}`,
              null,
            ),
      ),
    );
    req.end(body);
  });
}

export { EgressRefusedError };
