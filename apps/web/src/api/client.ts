import type {
  AcceptInviteRequest,
  AcceptInviteResponse,
  AccountabilityPillar,
  ActionsResponse,
  AgentItemKind,
  AgentsList,
  AgentsPageOf,
  AgentsResponse,
  AuditEventRecord,
  ClusterConnectionRecord,
  ClusterDetail,
  ClusterRecord,
  PutClusterEnvironmentRequest,
  ClusterScanRequested,
  CostResponse,
  CreateClusterConnectionRequest,
  CreatePlanRequest,
  CreatedInviteResponse,
  CreatedScannerTokenResponse,
  CreateRiskAcceptanceRequest,
  CreateScannerTokenRequest,
  EvidenceKind,
  EvidenceUploadRecord,
  ExportFormat,
  HistoryEntry,
  Invite,
  InviteRequest,
  ListResponse,
  LoginRequest,
  Member,
  MeResponse,
  MfaChallengeResponse,
  MfaDisableRequest,
  MfaEnrolmentResponse,
  MfaEnrolRequest,
  MfaLoginRequest,
  MfaRecoveryCodesResponse,
  MfaSecondFactor,
  MfaStatusResponse,
  OrganizationMembership,
  OrgSecuritySettings,
  Overview,
  PasswordResetAccepted,
  PasswordResetConfirm,
  PagedListResponse,
  PlanEffortResponse,
  PlanList,
  PlanRecord,
  PutCostAssumptionsRequest,
  PutPlanEffortRequest,
  PutSelfAssessmentRequest,
  RiskAcceptance,
  RiskAcceptanceList,
  ScanDiff,
  ScannerTokenRecord,
  ScanRecord,
  SelfAssessmentResponse,
  SignedInResponse,
  SignupRequest,
  SignupResponse,
  UpdateClusterConnectionRequest,
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

/** One stored self-assessment (a version of the five answers). */
export type SelfAssessmentRecord = NonNullable<SelfAssessmentResponse['current']>;

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

  /** Signed in, or (two-factor authentication) a challenge for `loginMfa`: no session yet. */
  async login(body: LoginRequest): Promise<SignedInResponse | MfaChallengeResponse> {
    const r = await this.http.request<SignedInResponse | MfaChallengeResponse>(
      'POST',
      '/v1/auth/login',
      { body, expectUnauthenticated: true },
    );
    return 'status' in r ? r : this.keepCsrf(r);
  }

  /** The second step of a sign-in: the challenge with a code or a recovery code. */
  async loginMfa(body: MfaLoginRequest): Promise<SignedInResponse> {
    return this.keepCsrf(
      await this.http.request<SignedInResponse>('POST', '/v1/auth/login/mfa', {
        body,
        expectUnauthenticated: true,
      }),
    );
  }

  // --- two-factor authentication of the signed-in user ----------------------------------------

  mfaStatus(): Promise<MfaStatusResponse> {
    return this.http.request<MfaStatusResponse>('GET', '/v1/me/mfa');
  }

  /** Start an enrolment; while two-factor authentication is on, with the current second factor. */
  mfaEnrol(factor?: MfaEnrolRequest): Promise<MfaEnrolmentResponse> {
    return this.http.request<MfaEnrolmentResponse>(
      'POST',
      '/v1/me/mfa/enrol',
      factor ? { body: factor } : undefined,
    );
  }

  mfaConfirm(code: string): Promise<MfaRecoveryCodesResponse> {
    return this.http.request<MfaRecoveryCodesResponse>('POST', '/v1/me/mfa/confirm', {
      body: { code },
    });
  }

  mfaDisable(body: MfaDisableRequest): Promise<{ mfaEnabled: false }> {
    return this.http.request<{ mfaEnabled: false }>('POST', '/v1/me/mfa/disable', { body });
  }

  /** New recovery codes, with a code of the app or an unused recovery code. */
  mfaRecoveryCodes(factor: MfaSecondFactor): Promise<MfaRecoveryCodesResponse> {
    return this.http.request<MfaRecoveryCodesResponse>('POST', '/v1/me/mfa/recovery-codes', {
      body: factor,
    });
  }

  setOrgSecurity(orgId: string, body: OrgSecuritySettings): Promise<OrgSecuritySettings> {
    return this.http.request<OrgSecuritySettings>('PUT', `${org(orgId)}/security`, { body });
  }

  /** The same answer whether or not the email has an account: sign in next. */
  signup(body: SignupRequest): Promise<SignupResponse> {
    return this.http.request<SignupResponse>('POST', '/v1/auth/signup', { body });
  }

  async logout(): Promise<void> {
    try {
      await this.http.request<void>('POST', '/v1/auth/logout', { expectUnauthenticated: true });
    } finally {
      this.http.setCsrfToken(null);
    }
  }

  /** The same answer whether or not the email has an account; a known one gets a mail. */
  requestPasswordReset(email: string): Promise<PasswordResetAccepted> {
    return this.http.request<PasswordResetAccepted>('POST', '/v1/auth/password-reset', {
      body: { email },
    });
  }

  confirmPasswordReset(body: PasswordResetConfirm): Promise<{ status: 'reset' }> {
    return this.http.request<{ status: 'reset' }>('POST', '/v1/auth/password-reset/confirm', {
      body,
    });
  }

  verifyEmail(token: string): Promise<{ status: 'verified' }> {
    return this.http.request<{ status: 'verified' }>('POST', '/v1/auth/verify-email', {
      body: { token },
      expectUnauthenticated: true,
    });
  }

  resendVerification(): Promise<{ status: 'sent' | 'already_verified' }> {
    return this.http.request<{ status: 'sent' | 'already_verified' }>(
      'POST',
      '/v1/auth/verify-email/resend',
    );
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

  /** Delete an evidence upload (admins; audited; the results are recomputed without it). */
  deleteEvidence(orgId: string, evidenceId: string): Promise<void> {
    return this.http.request('DELETE', `${org(orgId)}/evidence/${seg(evidenceId)}`);
  }

  clusters(orgId: string, signal?: AbortSignal): Promise<ListResponse<ClusterRecord>> {
    return this.http.request('GET', `${org(orgId)}/clusters`, { signal });
  }

  /** Set a cluster's environment (admins), or null to infer it again; the roll-up follows. */
  setClusterEnvironment(
    orgId: string,
    clusterId: string,
    body: PutClusterEnvironmentRequest,
  ): Promise<ClusterRecord> {
    return this.http.request('PUT', `${org(orgId)}/clusters/${seg(clusterId)}/environment`, {
      body,
    });
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

  // --- read API: what the data screens show ----------------------------------------------

  overview(orgId: string, signal?: AbortSignal): Promise<Overview> {
    return this.http.request('GET', `${org(orgId)}/overview`, { signal });
  }

  clusterDetail(orgId: string, clusterId: string, signal?: AbortSignal): Promise<ClusterDetail> {
    return this.http.request('GET', `${org(orgId)}/clusters/${seg(clusterId)}`, { signal });
  }

  clusterHistory(
    orgId: string,
    clusterId: string,
    opts: { limit?: number; cursor?: string; signal?: AbortSignal } = {},
  ): Promise<PagedListResponse<HistoryEntry>> {
    return this.http.request('GET', `${org(orgId)}/clusters/${seg(clusterId)}/history`, {
      signal: opts.signal,
      query: { limit: opts.limit, cursor: opts.cursor },
    });
  }

  /** New, fixed and regressed findings from `from` to `to` (default: the two newest scans). */
  clusterDiff(
    orgId: string,
    clusterId: string,
    opts: { from?: string; to?: string; signal?: AbortSignal } = {},
  ): Promise<ScanDiff> {
    return this.http.request('GET', `${org(orgId)}/clusters/${seg(clusterId)}/diff`, {
      signal: opts.signal,
      query: { from: opts.from, to: opts.to },
    });
  }

  /** The agents view with the first page of its long lists (items, findings, principles). */
  agents(orgId: string, signal?: AbortSignal): Promise<AgentsResponse> {
    return this.http.request('GET', `${org(orgId)}/agents`, { signal });
  }

  /** A page of one of the agents view's lists (`cursor`: the `nextCursor` of the page before). */
  agentsPage<L extends AgentsList>(
    orgId: string,
    list: L,
    opts: {
      cursor?: string;
      limit?: number;
      pillar?: AccountabilityPillar;
      kind?: AgentItemKind;
      shadow?: boolean;
      signal?: AbortSignal;
    } = {},
  ): Promise<AgentsPageOf<L>> {
    return this.http.request('GET', `${org(orgId)}/agents/${seg(list)}`, {
      signal: opts.signal,
      query: {
        cursor: opts.cursor,
        limit: opts.limit,
        pillar: opts.pillar,
        kind: opts.kind,
        shadow: opts.shadow === undefined ? undefined : String(opts.shadow),
      },
    });
  }

  actions(orgId: string, signal?: AbortSignal): Promise<ActionsResponse> {
    return this.http.request('GET', `${org(orgId)}/actions`, { signal });
  }

  selfAssessment(orgId: string, signal?: AbortSignal): Promise<SelfAssessmentResponse> {
    return this.http.request('GET', `${org(orgId)}/self-assessment`, { signal });
  }

  /** Answer the five questions (members and above); the answer includes claimed vs evidenced. */
  saveSelfAssessment(
    orgId: string,
    body: PutSelfAssessmentRequest,
  ): Promise<SelfAssessmentResponse> {
    return this.http.request('PUT', `${org(orgId)}/self-assessment`, { body });
  }

  selfAssessmentHistory(
    orgId: string,
    opts: { limit?: number; cursor?: string; signal?: AbortSignal } = {},
  ): Promise<PagedListResponse<SelfAssessmentRecord>> {
    return this.http.request('GET', `${org(orgId)}/self-assessment/history`, {
      signal: opts.signal,
      query: { limit: opts.limit, cursor: opts.cursor },
    });
  }

  cost(orgId: string, signal?: AbortSignal): Promise<CostResponse> {
    return this.http.request('GET', `${org(orgId)}/cost`, { signal });
  }

  /** Replace the assumption overrides (admins); the answer carries the recomputed tax. */
  saveCostAssumptions(orgId: string, body: PutCostAssumptionsRequest): Promise<CostResponse> {
    return this.http.request('PUT', `${org(orgId)}/cost/assumptions`, { body });
  }

  /**
   * Where a scan's export downloads from (a plain link: the browser sends the session cookie and
   * saves the file under the name the API gives it).
   */
  exportUrl(orgId: string, scanId: string, format: ExportFormat): string {
    return `${org(orgId)}/scans/${seg(scanId)}/export?format=${format}`;
  }

  // --- plans: the roadmap to a target level ----------------------------------------------

  /**
   * Ask for a plan from the cluster's newest analysed scan (members and above); omitted level:
   * the next one. 202 with the queued plan; 422 with the reason when there is nothing to plan.
   */
  requestPlan(orgId: string, clusterId: string, body: CreatePlanRequest): Promise<PlanRecord> {
    return this.http.request('POST', `${org(orgId)}/clusters/${seg(clusterId)}/plans`, { body });
  }

  /** The cluster's plans, newest first. */
  plans(
    orgId: string,
    clusterId: string,
    opts: { limit?: number; cursor?: string; signal?: AbortSignal } = {},
  ): Promise<PlanList> {
    return this.http.request('GET', `${org(orgId)}/clusters/${seg(clusterId)}/plans`, {
      signal: opts.signal,
      query: { limit: opts.limit, cursor: opts.cursor },
    });
  }

  plan(orgId: string, planId: string, signal?: AbortSignal): Promise<PlanRecord> {
    return this.http.request('GET', `${org(orgId)}/plans/${seg(planId)}`, { signal });
  }

  /** Where a ready plan's bundle (zip) downloads from: a plain link, like the exports. */
  /** Every cluster's plans in the organisation, newest first (the organisation roadmap). */
  orgPlans(
    orgId: string,
    opts: { limit?: number; cursor?: string; signal?: AbortSignal } = {},
  ): Promise<PlanList> {
    return this.http.request('GET', `${org(orgId)}/plans`, {
      signal: opts.signal,
      query: { limit: opts.limit, cursor: opts.cursor },
    });
  }

  planBundleUrl(orgId: string, planId: string): string {
    return `${org(orgId)}/plans/${seg(planId)}/bundle`;
  }

  /** The effort table plans use: every action's hours, defaults and overrides. */
  planEffort(orgId: string, signal?: AbortSignal): Promise<PlanEffortResponse> {
    return this.http.request('GET', `${org(orgId)}/plan-effort`, { signal });
  }

  /** Replace the effort overrides (admins); later plans use them. */
  savePlanEffort(orgId: string, body: PutPlanEffortRequest): Promise<PlanEffortResponse> {
    return this.http.request('PUT', `${org(orgId)}/plan-effort`, { body });
  }

  // --- risk acceptance: accepted risks with an owner, a reason and an expiry ----------------

  /** Every accepted risk, newest first, with its state, and counts by state (viewers and above). */
  riskAcceptances(orgId: string, signal?: AbortSignal): Promise<RiskAcceptanceList> {
    return this.http.request('GET', `${org(orgId)}/risk-acceptances`, { signal });
  }

  /**
   * Accept the risk of a criterion (or cap) or a finding, for one cluster or all (admins); 422
   * with the reason on a bad target, owner, reason or expiry, 404 for an unknown cluster.
   */
  acceptRisk(orgId: string, body: CreateRiskAcceptanceRequest): Promise<RiskAcceptance> {
    return this.http.request('POST', `${org(orgId)}/risk-acceptances`, { body });
  }

  /** Revoke an accepted risk (admins): it applies again at once; 409 when already revoked. */
  revokeRiskAcceptance(orgId: string, id: string): Promise<RiskAcceptance> {
    return this.http.request('DELETE', `${org(orgId)}/risk-acceptances/${seg(id)}`);
  }

  // --- agentless clusters ------------------------------------------------------------------

  clusterConnections(
    orgId: string,
    signal?: AbortSignal,
  ): Promise<ListResponse<ClusterConnectionRecord>> {
    return this.http.request('GET', `${org(orgId)}/cluster-connections`, { signal });
  }

  createClusterConnection(
    orgId: string,
    body: CreateClusterConnectionRequest,
  ): Promise<ClusterConnectionRecord> {
    return this.http.request('POST', `${org(orgId)}/cluster-connections`, { body });
  }

  updateClusterConnection(
    orgId: string,
    id: string,
    body: UpdateClusterConnectionRequest,
  ): Promise<ClusterConnectionRecord> {
    return this.http.request('PATCH', `${org(orgId)}/cluster-connections/${seg(id)}`, { body });
  }

  deleteClusterConnection(orgId: string, id: string): Promise<void> {
    return this.http.request('DELETE', `${org(orgId)}/cluster-connections/${seg(id)}`);
  }

  scanClusterConnection(orgId: string, id: string): Promise<ClusterScanRequested> {
    return this.http.request('POST', `${org(orgId)}/cluster-connections/${seg(id)}/scan`);
  }
}
