import { describe, expect, it, jest } from '@jest/globals';
import { ME, fakeFetch } from '../../test/fake-api';
import { ApiClient } from './client';
import { ApiError, describeError, errorFromResponse, Http } from './http';

describe('errorFromResponse', () => {
  it('reads the API error body: code, message, details, request id', () => {
    const e = errorFromResponse(
      422,
      JSON.stringify({
        error: {
          code: 'validation_failed',
          message: 'request body does not match the contract',
          details: ['email: Invalid email address'],
          requestId: 'req-1',
        },
      }),
    );
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({
      status: 422,
      code: 'validation_failed',
      message: 'request body does not match the contract',
      details: ['email: Invalid email address'],
      requestId: 'req-1',
    });
  });

  it.each([
    [502, '<html>Bad Gateway</html>', 'the API is not reachable behind its proxy'],
    [503, '', 'the service is temporarily unavailable'],
    [500, 'oops', 'the API failed (HTTP 500)'],
    [404, 'Not Found', 'not found'],
    [418, '{"unexpected":true}', 'the API answered HTTP 418'],
  ])('words an answer that is not the error shape (%i)', (status, body, message) => {
    expect(errorFromResponse(status, body).message).toBe(message);
  });
});

describe('describeError', () => {
  it('makes a sentence of an API error', () => {
    expect(describeError(new ApiError(401, 'unauthenticated', 'wrong email or password'))).toBe(
      'Wrong email or password.',
    );
    expect(describeError(new ApiError(409, 'conflict', 'already used.'))).toBe('Already used.');
  });

  it('keeps other errors as they are', () => {
    expect(describeError(new Error('boom'))).toBe('boom');
    expect(describeError('plain')).toBe('plain');
  });
});

describe('Http', () => {
  it('sends the CSRF token on unsafe methods only, and JSON both ways', async () => {
    const { fetchImpl, calls } = fakeFetch({
      'GET /v1/thing': { status: 200, body: { ok: true } },
      'POST /v1/thing': { status: 201, body: { id: 'x' } },
      'DELETE /v1/thing': { status: 204 },
    });
    const http = new Http({ fetchImpl });
    http.setCsrfToken('tok');
    expect(await http.request('GET', '/v1/thing')).toEqual({ ok: true });
    expect(await http.request('POST', '/v1/thing', { body: { a: 1 } })).toEqual({ id: 'x' });
    expect(await http.request('DELETE', '/v1/thing')).toBeUndefined();
    expect(calls[0]!.headers['x-csrf-token']).toBeUndefined();
    expect(calls[1]!.headers).toMatchObject({
      'x-csrf-token': 'tok',
      'content-type': 'application/json',
    });
    expect(calls[1]!.body).toEqual({ a: 1 });
    expect(calls[2]!.headers['x-csrf-token']).toBe('tok');
  });

  it('adds query parameters and leaves out undefined ones', async () => {
    const seen: string[] = [];
    const http = new Http({
      fetchImpl: async (input) => {
        seen.push(input);
        return new Response('{}', { status: 200 });
      },
    });
    await http.request('GET', '/v1/x', { query: { limit: 20, cursor: undefined } });
    expect(seen).toEqual(['/v1/x?limit=20']);
  });

  it('reports an unreachable API in words', async () => {
    const http = new Http({
      fetchImpl: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(http.request('GET', '/v1/me')).rejects.toMatchObject({
      status: 0,
      code: 'network',
      message: 'the Plumbline API could not be reached (Failed to fetch)',
    });
  });

  it('calls the unauthenticated handler on a 401, except where a 401 is expected', async () => {
    const { fetchImpl } = fakeFetch({
      'GET /v1/orgs/x': {
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'sign in first' } },
      },
    });
    const onUnauthenticated = jest.fn();
    const http = new Http({ fetchImpl, onUnauthenticated });
    await expect(http.request('GET', '/v1/orgs/x')).rejects.toThrow('sign in first');
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    await expect(
      http.request('GET', '/v1/orgs/x', { expectUnauthenticated: true }),
    ).rejects.toBeInstanceOf(ApiError);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('rejects a success body that is not JSON', async () => {
    const http = new Http({ fetchImpl: async () => new Response('<html>', { status: 200 }) });
    await expect(http.request('GET', '/v1/me')).rejects.toThrow('with a body that is not JSON');
  });
});

describe('ApiClient', () => {
  it('keeps the CSRF token from GET /v1/me and sends it on the next change', async () => {
    const { fetchImpl, calls } = fakeFetch({
      'GET /v1/me': { status: 200, body: ME },
      'PATCH /v1/orgs/o1/members/u1': { status: 200, body: { userId: 'u1', role: 'admin' } },
    });
    const api = new ApiClient({ fetchImpl });
    await api.me();
    await api.changeRole('o1', 'u1', 'admin');
    expect(calls[1]).toMatchObject({
      method: 'PATCH',
      path: '/v1/orgs/o1/members/u1',
      body: { role: 'admin' },
      headers: { 'x-csrf-token': 'csrf-123' },
    });
  });

  it('keeps the CSRF token from sign-in and forgets it on sign-out', async () => {
    const { fetchImpl } = fakeFetch({
      'POST /v1/auth/login': {
        status: 200,
        body: { user: ME.user, organizationId: null, csrfToken: 'c2' },
      },
      'POST /v1/auth/logout': { status: 204 },
    });
    const api = new ApiClient({ fetchImpl });
    await api.login({ email: 'a@b.c', password: 'x' });
    expect(api.http.hasCsrfToken).toBe(true);
    await api.logout();
    expect(api.http.hasCsrfToken).toBe(false);
  });

  it('encodes path segments', async () => {
    const { fetchImpl, calls } = fakeFetch({});
    const api = new ApiClient({ fetchImpl });
    await expect(api.revokeScannerToken('o/1', 't?2')).rejects.toBeInstanceOf(ApiError);
    expect(calls[0]!.path).toBe('/v1/orgs/o%2F1/scanner-tokens/t%3F2');
  });
});
