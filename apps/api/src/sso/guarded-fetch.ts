import {
  checkServer,
  classifyAddress,
  EgressRefusedError,
  type EgressPolicy,
  type Resolver,
  type UrlForm,
} from '@plumbline/jobs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * Every request the API makes to an identity provider (discovery, JWKS, token endpoint) goes
 * through the egress guard of agentless scans and alert webhooks: the URL's host must resolve only
 * to public addresses (or to ranges in AGENTLESS_ALLOWED_CIDRS; cloud metadata never), and the
 * connection goes to the checked address. No redirects are followed; answers are capped at 1 MiB.
 *
 * `http://` is accepted only when every address is loopback (and so allowed by
 * AGENTLESS_ALLOWED_CIDRS): an identity provider on this machine in tests or the local demo.
 * Anywhere else the provider must use https.
 */

export const IDP_URL_FORM: UrlForm = {
  protocols: ['https:', 'http:'],
  allowQuery: true,
  what: 'identity provider',
  example: 'https://login.example.com',
};

/** Largest answer read from an identity provider. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface IdpTarget {
  egress: EgressPolicy;
  resolve?: Resolver | undefined;
  timeoutMs: number;
}

/** Check an identity provider URL (form, every resolved address, http only on loopback). */
export async function checkIdpUrl(raw: string, target: IdpTarget) {
  const checked = await checkServer(raw, target.egress, {
    timeoutMs: target.timeoutMs,
    resolve: target.resolve,
    form: IDP_URL_FORM,
  });
  if (new URL(raw).protocol === 'http:') {
    const remote = checked.addresses.filter((a) => classifyAddress(a)?.category !== 'loopback');
    if (remote.length)
      throw new EgressRefusedError(
        `http:// identity providers are accepted only on this machine (loopback addresses allowed by AGENTLESS_ALLOWED_CIDRS); use https://`,
      );
  }
  return checked;
}

type Body = string | URLSearchParams | Uint8Array | ArrayBuffer | null | undefined;

function bodyBytes(body: Body): Buffer | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof URLSearchParams) return Buffer.from(body.toString(), 'utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/** A fetch for openid-client (`customFetch`) that goes through the egress guard. */
export function guardedFetch(target: IdpTarget) {
  return async (
    url: string,
    options: { method: string; headers: Record<string, string>; body?: unknown },
  ): Promise<Response> => {
    const checked = await checkIdpUrl(url, target);
    const pin = checked.pinned;
    const lookup: LookupFunction = (_hostname, opts, callback) => {
      if (opts.all) callback(null, [{ address: pin.address, family: pin.family }]);
      else callback(null, pin.address, pin.family);
    };
    const u = new URL(url);
    const payload = bodyBytes(options.body as Body);
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Response>((resolve, reject) => {
      const req = request(
        u,
        {
          method: options.method,
          lookup,
          agent: false,
          timeout: target.timeoutMs,
          headers: {
            ...options.headers,
            'user-agent': 'Plumbline-SSO/1',
            ...(payload ? { 'content-length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let seen = 0;
          res.on('data', (chunk: Buffer) => {
            seen += chunk.length;
            if (seen > MAX_RESPONSE_BYTES) {
              res.destroy();
              reject(new Error(`the identity provider answered more than 1 MiB`));
              return;
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (Array.isArray(v)) for (const x of v) headers.append(k, x);
              else if (v !== undefined) headers.set(k, v);
            }
            const status = res.statusCode ?? 502;
            const noBody = status === 204 || status === 304 || (status >= 100 && status < 200);
            resolve(
              new Response(noBody ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? '',
                headers,
              }),
            );
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(
          new Error(`the identity provider did not answer within ${target.timeoutMs} ms`),
        ),
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  };
}
