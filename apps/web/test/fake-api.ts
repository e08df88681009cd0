import { ApiClient, type FetchLike } from '../src/api';

export interface RecordedCall {
  method: string;
  path: string;
  /** The query string's parameters. */
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export type FakeAnswer = { status: number; body?: unknown };
export type FakeRoute = FakeAnswer | ((call: RecordedCall) => FakeAnswer);

/**
 * A fetch that answers from a table keyed by "METHOD /path" (query string ignored), and records
 * every call. Unknown routes answer the API's 404 error body, like the real API.
 */
export function fakeFetch(routes: Record<string, FakeRoute>): {
  fetchImpl: FetchLike;
  calls: RecordedCall[];
} {
  const calls: RecordedCall[] = [];
  const fetchImpl: FetchLike = async (input, init) => {
    const url = new URL(input, 'http://localhost');
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
    const call: RecordedCall = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    calls.push(call);
    const route = routes[`${call.method} ${call.path}`];
    const answer: FakeAnswer = route
      ? typeof route === 'function'
        ? route(call)
        : route
      : {
          status: 404,
          body: {
            error: { code: 'not_found', message: `no route for ${call.method} ${call.path}` },
          },
        };
    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    return new Response(answer.status === 204 ? null : text, { status: answer.status });
  };
  return { fetchImpl, calls };
}

export function fakeApi(routes: Record<string, FakeRoute>) {
  const { fetchImpl, calls } = fakeFetch(routes);
  return { api: new ApiClient({ fetchImpl }), calls };
}

export const ORG_ID = '11111111-1111-4111-8111-111111111111';
export const USER_ID = '22222222-2222-4222-8222-222222222222';

export const ME = {
  user: { id: USER_ID, email: 'ada@example.com', name: 'Ada' },
  organizations: [{ id: ORG_ID, name: 'Acme', slug: 'acme', role: 'owner' as const }],
  csrfToken: 'csrf-123',
};
