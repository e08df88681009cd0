import type {
  AcceptInviteRequest,
  AcceptInviteResponse,
  AuditEventRecord,
  ClusterRecord,
  CreatedInviteResponse,
  CreatedScannerTokenResponse,
  CreateScannerTokenRequest,
  EvidenceKind,
  EvidenceUploadRecord,
  Invite,
  InviteRequest,
  ListResponse,
  LoginRequest,
  Member,
  MeResponse,
  OrganizationMembership,
  PagedListResponse,
  ScannerTokenRecord,
  ScanRecord,
  SignedInResponse,
  SignupRequest,
} from '@plumbline/contracts';
import { Http, type HttpOptions } from './http';
import type { Role } from './roles';

/** What an evidence upload may be declared as; undefined lets the API detect it. */
export type EvidenceUploadKind = EvidenceKind | 'vm-inventory';

export interface EvidenceUploadRequest {
  filename: string;
  kind?: EvidenceUploadKind;
  content: string;
}

/**
 * An agentless cluster connection (the API reads the cluster with a token it holds). The route
 * is being added to the API; fields beyond `id` and `name` are optional until it lands.
 */
export interface ClusterConnection {
  id: string;
  name: string;
  server?: string;
  scheduleMinutes?: number | null;
  clusterId?: string | null;
  lastScanAt?: string | null;
  lastStatus?: string | null;
  lastError?: string | null;
  createdAt?: string;
}

export interface CreateClusterConnectionRequest {
  name: string;
  /** The cluster's API server URL (https://...). */
  server: string;
  /** A read-only service account token; stored encrypted by the API, never shown again. */
  token: string;
  /** Base64 PEM of the cluster CA, when it is not publicly trusted. */
  caData?: string;
  scheduleMinutes?: number;
}

const org = (orgId: string) => `/v1/orgs/${encodeURIComponent(orgId)}`;
const seg = encodeURIComponent;

/** The typed Plumbline API client used by every screen. */
export class ApiClient {
  readonly http: Http;

  constructor(opts: HttpOptions = {}) {
    this.http = new Http(opts);
  }

  /** Called when an authenticated request answers 401 (the session ended). */
  setUnauthenticatedHandler(handler: () => void): void {
    this.http.setUnauthenticatedHandler(handler);
  }

  private keepCsrf<T extends { csrfToken?: string }>(r: T): T {
    if (r.csrfToken) this.http.setCsrfToken(r.csrfToken);
    return r;
  }

  // --- account -----------------------------------------------------------------------------

  async me(signal?: AbortSignal): Promise<MeResponse> {
    return this.keepCsrf(
      await this.http.request<MeResponse>('GET', '/v1/me', { signal, expectUnauthenticated: true }),
    );
  }

  async login(body: LoginRequest): Promise<SignedInResponse> {
    return this.keepCsrf(
      await this.http.request<SignedInResponse>('POST', '/v1/auth/login', {
        body,
        expectUnauthenticated: true,
      }),
    );
  }

  async signup(body: SignupRequest): Promise<SignedInResponse> {
    return this.keepCsrf(
      await this.http.request<SignedInResponse>('POST', '/v1/auth/signup', { body }),
    );
  }

  async logout(): Promise<void> {
    try {
      await this.http.request<void>('POST', '/v1/auth/logout', { expectUnauthenticated: true });
    } finally {
      this.http.setCsrfToken(null);
    }
  }

  async acceptInvite(body: AcceptInviteRequest): Promise<AcceptInviteResponse> {
    const r = await this.http.request<AcceptInviteResponse>('POST', '/v1/invites/accept', {
      body,
      expectUnauthenticated: true,
    });
    if ('csrfToken' in r) this.http.setCsrfToken(r.csrfToken);
    return r;
  }

  // --- organisation ------------------------------------------------------------------------

  organization(orgId: string, signal?: AbortSignal): Promise<OrganizationMembership> {
    return this.http.request('GET', org(orgId), { signal });
  }

  members(orgId: string, signal?: AbortSignal): Promise<ListResponse<Member>> {
    return this.http.request('GET', `${org(orgId)}/members`, { signal });
  }

  changeRole(orgId: string, userId: string, role: Role): Promise<{ userId: string; role: Role }> {
    return this.http.request('PATCH', `${org(orgId)}/members/${seg(userId)}`, { body: { role } });
  }

  invites(orgId: string, signal?: AbortSignal): Promise<ListResponse<Invite>> {
    return this.http.request('GET', `${org(orgId)}/invites`, { signal });
  }

  invite(orgId: string, body: InviteRequest): Promise<CreatedInviteResponse> {
    return this.http.request('POST', `${org(orgId)}/invites`, { body });
  }

  scannerTokens(orgId: string, signal?: AbortSignal): Promise<ListResponse<ScannerTokenRecord>> {
    return this.http.request('GET', `${org(orgId)}/scanner-tokens`, { signal });
  }

  createScannerToken(
    orgId: string,
    body: CreateScannerTokenRequest,
  ): Promise<CreatedScannerTokenResponse> {
    return this.http.request('POST', `${org(orgId)}/scanner-tokens`, { body });
  }

  revokeScannerToken(orgId: string, tokenId: string): Promise<void> {
    return this.http.request('DELETE', `${org(orgId)}/scanner-tokens/${seg(tokenId)}`);
  }

  audit(orgId: string, signal?: AbortSignal): Promise<ListResponse<AuditEventRecord>> {
    return this.http.request('GET', `${org(orgId)}/audit`, { signal });
  }

  evidence(orgId: string, signal?: AbortSignal): Promise<ListResponse<EvidenceUploadRecord>> {
    return this.http.request('GET', `${org(orgId)}/evidence`, { signal });
  }

  uploadEvidence(orgId: string, body: EvidenceUploadRequest): Promise<EvidenceUploadRecord> {
    return this.http.request('POST', `${org(orgId)}/evidence`, { body });
  }

  clusters(orgId: string, signal?: AbortSignal): Promise<ListResponse<ClusterRecord>> {
    return this.http.request('GET', `${org(orgId)}/clusters`, { signal });
  }

  scans(
    orgId: string,
    clusterId: string,
    opts: { limit?: number; cursor?: string; signal?: AbortSignal } = {},
  ): Promise<PagedListResponse<ScanRecord>> {
    return this.http.request('GET', `${org(orgId)}/clusters/${seg(clusterId)}/scans`, {
      signal: opts.signal,
      query: { limit: opts.limit, cursor: opts.cursor },
    });
  }

  // --- agentless clusters ------------------------------------------------------------------

  clusterConnections(
    orgId: string,
    signal?: AbortSignal,
  ): Promise<ListResponse<ClusterConnection>> {
    return this.http.request('GET', `${org(orgId)}/cluster-connections`, { signal });
  }

  createClusterConnection(
    orgId: string,
    body: CreateClusterConnectionRequest,
  ): Promise<ClusterConnection> {
    return this.http.request('POST', `${org(orgId)}/cluster-connections`, { body });
  }

  deleteClusterConnection(orgId: string, id: string): Promise<void> {
    return this.http.request('DELETE', `${org(orgId)}/cluster-connections/${seg(id)}`);
  }

  scanClusterConnection(orgId: string, id: string): Promise<unknown> {
    return this.http.request('POST', `${org(orgId)}/cluster-connections/${seg(id)}/scan`);
  }
}
