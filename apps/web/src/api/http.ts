import { bidiSafeReviver } from '../display';
import type { ErrorCode } from '@plumbline/contracts';

/**
 * The HTTP core of the API client: same-origin fetch with the session cookie, the CSRF header on
 * every unsafe method, JSON in and out, and every failure turned into an {@link ApiError} whose
 * message a person can read.
 */

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const UNSAFE: ReadonlySet<HttpMethod> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'unavailable',
};

/** What went wrong, in words; `status` 0 means the API could not be reached at all. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly details: readonly string[] = [],
    readonly requestId?: string,
  ) {
    super(message);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The API's `{ error: { code, message, details?, requestId? } }`, when the body is one. */
function errorBody(
  body: unknown,
): { code: ErrorCode; message: string; details: string[]; requestId?: string } | null {
  if (!isRecord(body) || !isRecord(body.error)) return null;
  const e = body.error;
  if (typeof e.code !== 'string' || typeof e.message !== 'string') return null;
  const details = Array.isArray(e.details)
    ? e.details.filter((d): d is string => typeof d === 'string')
    : [];
  return {
    code: e.code as ErrorCode,
    message: e.message,
    details,
    requestId: typeof e.requestId === 'string' ? e.requestId : undefined,
  };
}

/** A sentence for an answer that is not the API's error shape (a proxy page, a crash). */
function fallbackMessage(status: number): string {
  if (status === 401) return 'you are not signed in';
  if (status === 403) return 'you are not allowed to do this';
  if (status === 404) return 'not found';
  if (status === 429) return 'too many requests; wait a moment and try again';
  if (status === 502 || status === 504) return 'the API is not reachable behind its proxy';
  if (status === 503) return 'the service is temporarily unavailable';
  if (status >= 500) return `the API failed (HTTP ${status})`;
  return `the API answered HTTP ${status}`;
}

/** Turn a non-2xx response into an ApiError, reading the API's error body when there is one. */
export function errorFromResponse(status: number, text: string): ApiError {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const body = errorBody(parsed);
  if (body) return new ApiError(status, body.code, body.message, body.details, body.requestId);
  return new ApiError(status, CODE_BY_STATUS[status] ?? 'internal', fallbackMessage(status));
}

/** A readable sentence for any error, e.g. for an error state or a form message. */
export function describeError(e: unknown): string {
  if (e instanceof ApiError) {
    const first = e.message.charAt(0).toUpperCase() + e.message.slice(1);
    return /[.!?]$/.test(first) ? first : `${first}.`;
  }
  if (e instanceof Error) return e.message;
  return String(e);
}

export interface HttpOptions {
  fetchImpl?: FetchLike;
  /** Prefix for every path; '' means the page's own origin (production and the Vite proxy). */
  baseUrl?: string;
  /** Called when an authenticated request answers 401 (session expired or signed out). */
  onUnauthenticated?: () => void;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | undefined>;
  /** Requests that are expected to answer 401 (sign in) do not end the session. */
  expectUnauthenticated?: boolean;
}

export class Http {
  private csrfToken: string | null = null;
  private readonly fetchImpl: FetchLike;
  private readonly baseUrl: string;
  private onUnauthenticated: () => void;

  constructor(opts: HttpOptions = {}) {
    this.fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
    this.baseUrl = opts.baseUrl ?? '';
    this.onUnauthenticated = opts.onUnauthenticated ?? (() => undefined);
  }

  /** Replace the handler called when an authenticated request answers 401. */
  setUnauthenticatedHandler(handler: () => void): void {
    this.onUnauthenticated = handler;
  }

  /** The session's CSRF token, from sign-in, sign-up or `GET /v1/me`. */
  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  get hasCsrfToken(): boolean {
    return this.csrfToken !== null;
  }

  async request<T>(method: HttpMethod, path: string, opts: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (UNSAFE.has(method) && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    let url = `${this.baseUrl}${path}`;
    if (opts.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.query)) if (v !== undefined) q.set(k, String(v));
      const s = q.toString();
      if (s) url += `?${s}`;
    }
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: opts.signal ?? null,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      const reason = e instanceof Error ? e.message : String(e);
      throw new ApiError(0, 'network', `the Plumbline API could not be reached (${reason})`);
    }
    const text = await response.text();
    if (!response.ok) {
      const error = errorFromResponse(response.status, text);
      if (response.status === 401 && !opts.expectUnauthenticated) this.onUnauthenticated();
      throw error;
    }
    if (response.status === 204 || text === '') return undefined as T;
    try {
      // Names from clusters may hold bidi controls: shown escaped everywhere (display.ts).
      return JSON.parse(text, bidiSafeReviver) as T;
    } catch {
      throw new ApiError(
        response.status,
        'internal',
        `the API answered HTTP ${response.status} with a body that is not JSON`,
      );
    }
  }
}
