import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { gunzipSync } from 'node:zlib';
import type { KubeTarget } from './connect.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  parseRetryAfter,
  realSleep,
  TokenBucket,
  type RetryPolicy,
  type Sleep,
} from './rate-limit.js';

/**
 * Read-only access to the Kubernetes API: GET only (there is no other verb in this module),
 * every request through the QPS/burst limiter, retries with backoff on 429, 5xx and network
 * errors, gzip responses, a size cap per response.
 */

export const ACCEPT_JSON = 'application/json';
/** Metadata only: the server strips everything but `metadata` before answering. */
export const ACCEPT_METADATA_LIST =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 60_000;

export interface ApiResult {
  status: number;
  /** Parsed JSON body (null when it is not JSON). */
  body: unknown;
  bytes: number;
}

/** Bounds for endpoints that are not trusted (agentless scans); each defaults to the CLI's. */
export interface RequestLimits {
  /** Longest wait for the TCP (+ TLS) connection (default: none beyond the idle timeout). */
  connectTimeoutMs?: number;
  /** Longest time one request may take from start to last byte (default: 60 s of silence). */
  requestTimeoutMs?: number;
  /** Largest answer, compressed or decompressed (default 512 MiB). */
  maxResponseBytes?: number;
}

export interface KubeApiOptions {
  qps: number;
  burst: number;
  retry?: Partial<RetryPolicy>;
  sleep?: Sleep;
  userAgent?: string;
  limits?: RequestLimits;
  /** Aborts every request in flight and every later one (the whole-scan deadline). */
  signal?: AbortSignal;
}

export class KubeApiError extends Error {}

/** An answer over the size limit: asking again would give the same, so it is not retried. */
class ResponseTooLargeError extends Error {}

/** The scan was stopped (deadline): not retried, and the collection stops instead of going on. */
export class KubeApiAbortedError extends KubeApiError {}

function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'the scan was stopped';
}

export class KubeApi {
  requests = 0;
  retries = 0;
  bytes = 0;
  private readonly limiter: TokenBucket;
  private readonly retry: RetryPolicy;
  private readonly sleep: Sleep;

  constructor(
    private readonly target: KubeTarget,
    private readonly opts: KubeApiOptions,
  ) {
    this.sleep = opts.sleep ?? realSleep;
    this.limiter = new TokenBucket(opts.qps, opts.burst, undefined, this.sleep);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
  }

  /** GET `path?query`, retrying transient failures; other statuses are returned as they are. */
  async get(
    path: string,
    query: Record<string, string | number | undefined> = {},
    accept: string = ACCEPT_JSON,
  ): Promise<ApiResult> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== '') qs.set(k, String(v));
    const url = `${this.target.server}${path}${qs.size ? `?${qs.toString()}` : ''}`;
    const signal = this.opts.signal;
    for (let attempt = 0; ; attempt++) {
      await this.limiter.take();
      if (signal?.aborted) throw new KubeApiAbortedError(abortReason(signal));
      this.requests++;
      let result: { status: number; headers: IncomingHttpHeaders; body: Buffer } | null = null;
      let failure: Error | null = null;
      try {
        result = await this.once(url, accept);
      } catch (e) {
        failure = e as Error;
      }
      if (signal?.aborted) throw new KubeApiAbortedError(abortReason(signal));
      const retryable =
        (failure !== null && !(failure instanceof ResponseTooLargeError)) ||
        (result !== null && RETRY_STATUS.has(result.status));
      if (retryable && attempt < this.retry.maxRetries) {
        this.retries++;
        const retryAfter = result
          ? parseRetryAfter(firstHeader(result.headers['retry-after']), Date.now())
          : null;
        await this.sleep(backoffDelay(this.retry, attempt, retryAfter));
        continue;
      }
      if (failure) throw new KubeApiError(`GET ${path}: ${failure.message}`);
      const r = result!;
      this.bytes += r.body.length;
      let body: unknown;
      try {
        body = JSON.parse(r.body.toString('utf8'));
      } catch {
        body = null;
      }
      return { status: r.status, body, bytes: r.body.length };
    }
  }

  private async once(
    url: string,
    accept: string,
  ): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
    const base = await this.target.requestOptions();
    const headers: Record<string, string> = {
      ...(base.headers as Record<string, string> | undefined),
      Accept: accept,
      'Accept-Encoding': 'gzip',
      'User-Agent': this.opts.userAgent ?? 'plumbline-scanner',
    };
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const limits = this.opts.limits ?? {};
    const maxBytes = limits.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    const idleMs = Math.min(limits.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
    const signal = this.opts.signal;
    return new Promise((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const onAbort = () => req.destroy(new Error(signal ? abortReason(signal) : 'aborted'));
      const settle = <T>(fn: (v: T) => void) => {
        return (v: T) => {
          for (const t of timers) clearTimeout(t);
          signal?.removeEventListener('abort', onAbort);
          fn(v);
        };
      };
      const ok = settle(resolve);
      const fail = settle(reject);
      const req = send(url, { ...base, method: 'GET', headers, timeout: idleMs }, (res) => {
        const declared = Number(res.headers['content-length']);
        if (declared > maxBytes) {
          req.destroy(new ResponseTooLargeError(`response larger than ${maxBytes} bytes`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new ResponseTooLargeError(`response larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('error', fail);
        res.on('end', () => {
          let body = Buffer.concat(chunks);
          try {
            if (String(res.headers['content-encoding']).toLowerCase() === 'gzip')
              body = gunzipSync(body, { maxOutputLength: maxBytes });
          } catch (e) {
            const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
            fail(
              tooBig
                ? new ResponseTooLargeError(`response larger than ${maxBytes} bytes`)
                : (e as Error),
            );
            return;
          }
          ok({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`no answer in ${idleMs / 1000} s`)));
      req.on('error', fail);
      if (limits.requestTimeoutMs !== undefined) {
        const ms = limits.requestTimeoutMs;
        timers.push(setTimeout(() => req.destroy(new Error(`no complete answer in ${ms} ms`)), ms));
      }
      if (limits.connectTimeoutMs !== undefined) {
        const ms = limits.connectTimeoutMs;
        req.on('socket', (socket: Socket) => {
          if (!socket.connecting) return; // a kept-alive connection
          const t = setTimeout(() => req.destroy(new Error(`could not connect in ${ms} ms`)), ms);
          timers.push(t);
          socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () =>
            clearTimeout(t),
          );
        });
      }
      if (signal) {
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      }
      req.end();
    });
  }
}

function firstHeader(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The `message` of a Kubernetes Status body, or a generic text. */
export function statusMessage(r: ApiResult): string {
  const b = r.body;
  if (
    typeof b === 'object' &&
    b !== null &&
    typeof (b as { message?: unknown }).message === 'string'
  )
    return (b as { message: string }).message;
  return `HTTP ${r.status}`;
}
