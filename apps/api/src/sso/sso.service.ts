import { Inject, Injectable } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import {
  SSO_ATTEMPT_TTL_MINUTES,
  type SsoConfigRequest,
  type SsoConfigResponse,
  type SsoDomain,
  type SsoErrorCode,
  type SsoStartRequest,
} from '@plumbline/contracts';
import { SsoDomainTakenError, type Database, type SsoConfigRow, type User } from '@plumbline/db';
import {
  EgressRefusedError,
  openSecret,
  sealSecret,
  type AgentlessSettings,
  type Keyring,
} from '@plumbline/jobs';
import { randomBytes, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import { AuditService, type Actor } from '../common/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { AGENTLESS, API_ENV, DATABASE, SSO_TXT_RESOLVER } from '../common/tokens.js';
import { AuthService, type SignedIn } from '../auth/auth.service.js';
import { signInKeys } from '../auth/rate-limit.js';
import { checkIdpUrl, guardedFetch, type IdpTarget } from './guarded-fetch.js';
import {
  emailDomain,
  safeReturnTo,
  ssoRedirectUri,
  txtMatches,
  txtRecordName,
  txtRecordValue,
} from './sso-helpers.js';

/** DNS TXT look-up (node:dns/promises Resolver.resolveTxt; tests inject one). */
export type TxtResolver = (name: string) => Promise<string[][]>;

/** Longest wait for the identity provider (discovery, keys, token). */
const IDP_TIMEOUT_MS = 10_000;

/** An openid-client / oauth4webapi error in words: its message and what its cause names. */
function describe(e: Error): string {
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) return `${e.message} (${describe(cause)})`;
  if (cause && typeof cause === 'object' && 'claim' in cause)
    return `${e.message} (claim ${String((cause as { claim: unknown }).claim)})`;
  return e.message;
}

/** A sign-in that failed: where the browser goes, with the code and words for the audit log. */
export class SsoFailure extends Error {
  constructor(
    public readonly code: SsoErrorCode,
    message: string,
    public readonly organizationId: string | null = null,
  ) {
    super(message);
    this.name = 'SsoFailure';
  }
}

export interface SsoStarted {
  redirectUrl: string;
  browserToken: string;
}

export interface SsoSignedIn {
  signedIn: SignedIn;
  location: string;
}

/**
 * OpenID Connect single sign-on per organisation (authorization code flow with PKCE, state and
 * nonce), with openid-client: settings (client secret sealed), domains (DNS TXT proof), the sign-in
 * start and the callback (just-in-time membership, then a session as a password sign-in makes,
 * without the TOTP step: the identity provider is the second factor).
 */
@Injectable()
export class SsoService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(AGENTLESS) private readonly agentless: AgentlessSettings,
    @Inject(SSO_TXT_RESOLVER) private readonly resolveTxt: TxtResolver,
    private readonly auth: AuthService,
    private readonly audits: AuditService,
  ) {}

  get redirectUri(): string {
    return ssoRedirectUri(this.env.APP_URL);
  }

  private keyring(): Keyring {
    if (!this.agentless.keyring)
      throw new DomainError(
        'unavailable',
        'single sign-on is not configured on this server: PLUMBLINE_ENCRYPTION_KEY is not set (see docs/operations.md)',
      );
    return this.agentless.keyring;
  }

  private get target(): IdpTarget {
    return {
      egress: this.agentless.egress,
      resolve: this.agentless.resolve,
      timeoutMs: Math.min(this.agentless.limits.requestTimeoutMs, IDP_TIMEOUT_MS),
    };
  }

  private domainView(config: SsoConfigRow, d: { domain: string; verifiedAt: Date | null }) {
    return {
      domain: d.domain,
      verified: d.verifiedAt !== null,
      verifiedAt: d.verifiedAt?.toISOString() ?? null,
      txtRecordName: txtRecordName(d.domain),
      txtRecordValue: txtRecordValue(config.verificationToken),
    } satisfies SsoDomain;
  }

  private view(config: SsoConfigRow | null): SsoConfigResponse {
    if (!config)
      return {
        configured: false,
        enabled: false,
        issuer: null,
        clientId: null,
        hasClientSecret: false,
        domains: [],
        defaultRole: 'member',
        ssoRequired: false,
        breakGlassUserId: null,
        redirectUri: this.redirectUri,
        updatedAt: null,
      };
    return {
      configured: true,
      enabled: config.enabled,
      issuer: config.issuer,
      clientId: config.clientId,
      hasClientSecret: config.clientSecretCiphertext !== null,
      domains: config.domains.map((d) => this.domainView(config, d)),
      defaultRole: config.defaultRole === 'owner' ? 'admin' : config.defaultRole,
      ssoRequired: config.ssoRequired,
      breakGlassUserId: config.breakGlassUserId,
      redirectUri: this.redirectUri,
      updatedAt: config.updatedAt.toISOString(),
    };
  }

  async get(organizationId: string): Promise<SsoConfigResponse> {
    return this.view(await this.db.sso.get(organizationId));
  }

  /** Discovery through the egress guard; ID token signatures are checked (non-repudiation). */
  private async discover(issuer: string, clientId: string, secret: string | null) {
    const fetcher = guardedFetch(this.target);
    const insecure = new URL(issuer).protocol === 'http:';
    return oidc.discovery(
      new URL(issuer),
      clientId,
      undefined,
      secret ? oidc.ClientSecretPost(secret) : oidc.None(),
      {
        [oidc.customFetch]: fetcher,
        timeout: IDP_TIMEOUT_MS / 1000,
        execute: [
          oidc.enableNonRepudiationChecks,
          ...(insecure ? [oidc.allowInsecureRequests] : []),
        ],
      },
    );
  }

  async put(actor: Actor, user: User, body: SsoConfigRequest): Promise<SsoConfigResponse> {
    const orgId = actor.organizationId;
    const keyring = this.keyring();
    const domains = [...new Set(body.domains)];
    if (body.ssoRequired && !body.breakGlassUserId)
      throw new DomainError(
        'validation_failed',
        'a break-glass owner is needed when single sign-on is required',
        ['breakGlassUserId: required when ssoRequired is true'],
      );
    if (
      body.breakGlassUserId &&
      (await this.db.memberships.roleOf(orgId, body.breakGlassUserId)) !== 'owner'
    )
      throw new DomainError(
        'validation_failed',
        'the break-glass user must be an owner of this organisation',
        ['breakGlassUserId: not an owner of this organisation'],
      );
    const taken = await this.db.sso.claimedElsewhere(orgId, domains);
    if (taken.length)
      throw new DomainError(
        'conflict',
        `${taken.join(', ')} ${taken.length === 1 ? 'is' : 'are'} verified by another organisation`,
      );
    const existing = await this.db.sso.get(orgId);
    if (!body.clientSecret && body.enabled && !existing?.clientSecretCiphertext)
      throw new DomainError('validation_failed', 'the client secret is needed', [
        'clientSecret: required the first time',
      ]);
    try {
      // The issuer's form and addresses always; its discovery document when SSO is turned on.
      await checkIdpUrl(body.issuer, this.target);
      if (body.enabled) await this.discover(body.issuer, body.clientId, null);
    } catch (e) {
      if (e instanceof EgressRefusedError)
        throw new DomainError('validation_failed', `the issuer is refused: ${e.message}`, [
          `issuer: ${e.message}`,
        ]);
      throw new DomainError(
        'validation_failed',
        `the issuer's discovery document could not be read: ${(e as Error).message}`,
        ['issuer: no usable /.well-known/openid-configuration'],
      );
    }
    // The saving owner's own verified address proves its domain.
    const own = user.emailVerifiedAt ? emailDomain(user.email) : '';
    const verifyNow = domains.filter((d) => d === own);
    try {
      await this.db.sso.save(orgId, {
        enabled: body.enabled,
        issuer: body.issuer,
        clientId: body.clientId,
        clientSecretCiphertext: body.clientSecret
          ? sealSecret(keyring, body.clientSecret, {
              organizationId: orgId,
              field: 'ssoClientSecret',
            })
          : undefined,
        defaultRole: body.defaultRole,
        ssoRequired: body.ssoRequired,
        breakGlassUserId: body.breakGlassUserId,
        domains,
        verifyNow,
        updatedById: actor.userId,
      });
    } catch (e) {
      if (e instanceof SsoDomainTakenError)
        throw new DomainError('conflict', `${e.domain} is verified by another organisation`);
      throw e;
    }
    await this.audits.record(actor, 'sso.configured', 'organization', orgId, {
      enabled: body.enabled,
      issuer: body.issuer,
      domains,
      role: body.defaultRole,
      ssoRequired: body.ssoRequired,
      clientSecretChanged: Boolean(body.clientSecret),
    });
    for (const domain of verifyNow)
      if (!existing?.domains.some((d) => d.domain === domain && d.verifiedAt))
        await this.audits.record(actor, 'sso.domain_verified', 'organization', orgId, {
          domain,
          via: 'the owner’s verified address',
        });
    return this.get(orgId);
  }

  async remove(actor: Actor): Promise<void> {
    if (await this.db.sso.remove(actor.organizationId))
      await this.audits.record(actor, 'sso.disabled', 'organization', actor.organizationId);
  }

  /** Check the domain's TXT record now; 200 with `verified` either way (404: not a domain here). */
  async verifyDomain(actor: Actor, rawDomain: string): Promise<SsoDomain> {
    const domain = rawDomain.trim().toLowerCase();
    const config = await this.db.sso.get(actor.organizationId);
    const row = config?.domains.find((d) => d.domain === domain);
    if (!config || !row)
      throw new DomainError('not_found', 'this domain is not in the single sign-on settings');
    if (row.verifiedAt) return this.domainView(config, row);
    // No record (or no answer) is simply "not verified yet".
    const records = await this.resolveTxt(txtRecordName(domain)).catch((): string[][] => []);
    if (!txtMatches(records, txtRecordValue(config.verificationToken)))
      return this.domainView(config, row);
    let verified;
    try {
      verified = await this.db.sso.markVerified(actor.organizationId, domain);
    } catch (e) {
      if (e instanceof SsoDomainTakenError)
        throw new DomainError('conflict', `${domain} is verified by another organisation`);
      throw e;
    }
    await this.audits.record(actor, 'sso.domain_verified', 'organization', actor.organizationId, {
      domain,
      via: 'DNS TXT record',
    });
    return this.domainView(config, verified ?? row);
  }

  // ---- sign-in ----

  /** Start a sign-in: the organisation of the email's verified domain, PKCE + state + nonce. */
  async start(body: SsoStartRequest, ip: string | null): Promise<SsoStarted> {
    await this.auth.admit(signInKeys(body.email, ip ?? 'unknown', 'sso'));
    const orgId = await this.db.sso.routeForDomain(emailDomain(body.email));
    if (!orgId)
      throw new DomainError('not_found', 'no single sign-on is set up for this email domain');
    const config = await this.db.sso.get(orgId);
    if (!config)
      throw new DomainError('not_found', 'no single sign-on is set up for this email domain');
    const keyring = this.keyring();
    let client;
    try {
      client = await this.discover(config.issuer, config.clientId, null);
    } catch (e) {
      throw new DomainError(
        'unavailable',
        `the identity provider cannot be reached now: ${(e as Error).message}`,
      );
    }
    const id = randomUUID();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const browserToken = randomBytes(32).toString('base64url');
    await this.db.sso.createAttempt({
      id,
      organizationId: orgId,
      state,
      browserToken,
      nonce,
      codeVerifierCiphertext: sealSecret(keyring, verifier, {
        organizationId: orgId,
        attemptId: id,
        field: 'ssoCodeVerifier',
      }),
      returnTo: safeReturnTo(body.returnTo),
      ip,
      expiresAt: new Date(Date.now() + SSO_ATTEMPT_TTL_MINUTES * 60_000),
    });
    const url = oidc.buildAuthorizationUrl(client, {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      login_hint: body.email,
    });
    return { redirectUrl: url.href, browserToken };
  }

  /**
   * The identity provider sent the browser back. The state must match an unused, unexpired
   * attempt started by this browser (its cookie); the attempt is used at once (a replay is
   * refused); openid-client exchanges the code with the PKCE verifier and checks the ID token
   * (signature, iss, aud, exp, nonce). Throws SsoFailure with the code for the app.
   */
  async callback(
    query: Record<string, string>,
    browserToken: string | null,
    ip: string | null,
    requestId?: string,
  ): Promise<SsoSignedIn> {
    const state = query.state;
    if (!state) throw new SsoFailure('state_invalid', 'the answer carries no state');
    const attempt = await this.db.sso.findAttempt(state, browserToken);
    if (!attempt) throw new SsoFailure('state_invalid', 'unknown sign-in attempt');
    const orgId = attempt.organizationId;
    const fail = (code: SsoErrorCode, why: string) => new SsoFailure(code, why, orgId);
    if (!attempt.browserMatches)
      throw fail(
        'state_invalid',
        'the sign-in was started in another browser (cookie missing or different)',
      );
    if (attempt.usedAt) throw fail('state_invalid', 'this sign-in attempt was used already');
    if (!(await this.db.sso.consumeAttempt(orgId, attempt.id)))
      throw fail('state_invalid', 'this sign-in attempt was used already or has expired');
    if (query.error)
      throw fail('idp_error', `the identity provider answered ${query.error.slice(0, 100)}`);
    const config = await this.db.sso.get(orgId);
    if (!config?.enabled) throw fail('sso_disabled', 'single sign-on is turned off');
    const keyring = this.keyring();
    const secret = config.clientSecretCiphertext
      ? openSecret(keyring, config.clientSecretCiphertext, {
          organizationId: orgId,
          field: 'ssoClientSecret',
        })
      : null;
    const verifier = openSecret(keyring, attempt.codeVerifierCiphertext, {
      organizationId: orgId,
      attemptId: attempt.id,
      field: 'ssoCodeVerifier',
    });
    let client;
    try {
      client = await this.discover(config.issuer, config.clientId, secret);
    } catch (e) {
      throw fail('idp_error', `discovery failed: ${(e as Error).message}`);
    }
    const current = new URL(this.redirectUri);
    for (const [k, v] of Object.entries(query)) current.searchParams.set(k, v);
    let claims;
    try {
      const tokens = await oidc.authorizationCodeGrant(client, current, {
        pkceCodeVerifier: verifier,
        expectedNonce: attempt.nonce,
        expectedState: state,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (e) {
      const err = e as Error & { code?: string; error?: string };
      if (err instanceof oidc.ResponseBodyError)
        throw fail('idp_error', `the token endpoint answered ${err.error}`);
      throw fail('token_invalid', `the ID token was refused: ${describe(err).slice(0, 300)}`);
    }
    if (!claims) throw fail('token_invalid', 'no ID token');
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
    if (!email || claims.email_verified !== true)
      throw fail(
        'email_unverified',
        `the identity provider did not verify the address ${email}`.trim(),
      );
    const domain = emailDomain(email);
    if (!config.domains.some((d) => d.domain === domain && d.verifiedAt))
      throw fail('domain_not_allowed', `${domain} is not a verified domain of the organisation`);
    const name =
      typeof claims.name === 'string' && claims.name.trim()
        ? claims.name.trim().slice(0, 200)
        : email.split('@')[0]!;
    const { user, userCreated, membershipCreated } = await this.db.sso.signIn(
      orgId,
      { issuer: config.issuer, subject: claims.sub, email, name },
      config.defaultRole === 'owner' ? 'admin' : config.defaultRole,
    );
    const actor: Actor = { organizationId: orgId, userId: user.id, ip: ip ?? undefined, requestId };
    if (membershipCreated)
      await this.audits.record(actor, 'membership.jit_created', 'user', user.id, {
        email,
        role: membershipCreated,
        userCreated,
      });
    await this.audits.record(actor, 'auth.sso_login', 'user', user.id, { email });
    const signedIn = await this.auth.sessionFor(user, orgId, ip);
    const location = `${this.env.APP_URL}${attempt.returnTo ?? `/o/${orgId}`}`;
    return { signedIn, location };
  }

  /** Audit a failed sign-in under its organisation (when the attempt was known). */
  async auditFailure(f: SsoFailure, ip: string | null, requestId?: string): Promise<void> {
    await this.db.audit.record({
      organizationId: f.organizationId,
      actorType: 'user',
      actorId: null,
      action: 'auth.sso_login_failed',
      metadata: { code: f.code, kind: f.message },
      ip: ip ?? undefined,
      requestId,
    });
  }
}
