import type {
  SsoConfigRequest,
  SsoConfigResponse,
  SsoDomain,
  SsoStartRequest,
  SsoStartResponse,
} from '@plumbline/contracts';
import type { ApiClient } from './client';

/**
 * Single sign-on: an organisation's identity provider settings (`/v1/orgs/:orgId/sso`) and the
 * sign-in start by email address (`POST /v1/auth/sso/start`).
 */

const o = (orgId: string) => `/v1/orgs/${encodeURIComponent(orgId)}`;
const seg = encodeURIComponent;

/** The organisation's settings (owners and admins); `configured: false` before the first save. */
export const ssoConfig = (api: ApiClient, orgId: string, signal?: AbortSignal) =>
  api.http.request<SsoConfigResponse>('GET', `${o(orgId)}/sso`, { signal });

/** Save the settings (owners); leave `clientSecret` out to keep the stored one. */
export const putSsoConfig = (api: ApiClient, orgId: string, body: SsoConfigRequest) =>
  api.http.request<SsoConfigResponse>('PUT', `${o(orgId)}/sso`, { body });

/** Remove single sign-on (owners): members sign in with their passwords again. */
export const deleteSsoConfig = (api: ApiClient, orgId: string) =>
  api.http.request<void>('DELETE', `${o(orgId)}/sso`);

/** Look for the domain's DNS TXT record now; the domain as it stands after the check. */
export const verifySsoDomain = (api: ApiClient, orgId: string, domain: string) =>
  api.http.request<SsoDomain>('POST', `${o(orgId)}/sso/domains/${seg(domain)}/verify`);

/**
 * Where to send the browser to sign in with the identity provider of the email's organisation;
 * 404 (with the reason) when no single sign-on is set up for its domain, 429 when rate limited.
 */
export const startSso = (api: ApiClient, body: SsoStartRequest) =>
  api.http.request<SsoStartResponse>('POST', '/v1/auth/sso/start', {
    body,
    expectUnauthenticated: true,
  });
