import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import {
  MFA_CHALLENGE_TTL_MINUTES,
  SSO_REQUIRED_MESSAGE,
  type AuditAction,
  PASSWORD_RESET_TTL_MINUTES,
  VERIFY_EMAIL_TTL_HOURS,
  type AcceptInviteRequest,
  type LoginRequest,
  type MfaChallengeResponse,
  type MfaLoginRequest,
  type PasswordResetAccepted,
  type PasswordResetConfirm,
  type SignupRequest,
  type SignupResponse,
} from '@plumbline/contracts';
import { hashPassword, verifyPassword, type Database, type User } from '@plumbline/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DomainError } from '../common/domain-error.js';
import type { AgentlessSettings } from '@plumbline/jobs';
import { AGENTLESS, API_ENV, DATABASE, LOGGER, REDIS } from '../common/tokens.js';
import { MailService } from '../mail/mail.service.js';
import { passwordResetMail, verifyEmailMail } from './account-mails.js';
import { AuthCache } from './auth-cache.js';
import { passwordProblem } from './password-policy.js';
import { matchingStep, openTotpSecret } from './totp.js';
import {
  MemoryAttemptStore,
  RedisAttemptStore,
  signInKeys,
  type AttemptStore,
  type LimitKey,
} from './rate-limit.js';

// A real hash to compare against when the email is unknown, so timing does not reveal accounts.
const DUMMY_HASH =
  'scrypt$N=16384,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base || 'org';
}

/** 429 with the seconds to wait (the controller sends them as Retry-After). */
export class RateLimitedError extends DomainError {
  constructor(public readonly retryAfterSeconds: number) {
    super('rate_limited', `too many attempts; try again in ${describeWait(retryAfterSeconds)}`);
  }
}

function describeWait(seconds: number): string {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

/** Longest wait for the attempt counters (Redis) before sign-in answers 503. */
const ADMIT_TIMEOUT_MS = 2000;

/** The answer to every sign-up, new email or not (no account enumeration). */
const SIGNUP_ACCEPTED: SignupResponse = { status: 'accepted', next: 'sign_in' };

/** The answer to every password-reset request, known email or not (no account enumeration). */
const RESET_ACCEPTED: PasswordResetAccepted = {
  status: 'accepted',
  expiresInMinutes: PASSWORD_RESET_TTL_MINUTES,
};

/** 4xx for a mailed link that cannot be used, with what to do. */
function linkProblem(
  state: 'unknown' | 'used' | 'expired',
  what: string,
  ttl: string,
): DomainError {
  if (state === 'used')
    return new DomainError('conflict', `this ${what} link was used already; ask for a new one`);
  if (state === 'expired')
    return new DomainError(
      'bad_request',
      `this ${what} link has expired (links work for ${ttl}); ask for a new one`,
    );
  return new DomainError(
    'not_found',
    `this ${what} link is not valid (unknown or replaced by a newer one); ask for a new one`,
  );
}

/** Wrong codes one sign-in challenge takes before the password is needed again. */
const CHALLENGE_MAX_ATTEMPTS = 5;

/** The password was right; the second factor is still to come (no session yet). */
export interface MfaPending {
  mfa: MfaChallengeResponse;
}

export interface SignedIn {
  user: User;
  cookieValue: string;
  csrfToken: string;
  organizationId: string | null;
}

@Injectable()
export class AuthService implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly attempts: AttemptStore;
  /** Reset mails being written after their request was answered (awaited at shutdown). */
  private readonly background = new Set<Promise<void>>();
  private readonly log: Logger;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(REDIS) redis: Redis | null,
    private readonly mail: MailService,
    private readonly cache: AuthCache,
    @Inject(LOGGER) logger: Logger,
    @Inject(AGENTLESS) private readonly agentless: AgentlessSettings,
  ) {
    this.log = logger.child({ component: 'auth' });
    this.attempts = redis
      ? new RedisAttemptStore(redis, env.QUEUE_PREFIX)
      : new MemoryAttemptStore();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }

  onApplicationShutdown(): void {
    this.attempts.close();
  }

  /**
   * Count a sign-in attempt on its keys before any password is checked (one atomic step), or
   * refuse it. Fails closed and fast: when the counters cannot be reached within 2 s (Redis
   * down), the answer is 503 and no password is checked.
   */
  async admit(keys: readonly LimitKey[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const unavailable = new DomainError(
      'unavailable',
      'sign-in is unavailable for a moment; try again',
    );
    let admission;
    try {
      admission = await Promise.race([
        this.attempts.admit(keys, Date.now()),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(unavailable), ADMIT_TIMEOUT_MS);
        }),
      ]);
    } catch {
      throw unavailable;
    } finally {
      clearTimeout(timer);
    }
    if (!admission.allowed) throw new RateLimitedError(Math.ceil(admission.retryAfterMs / 1000));
  }

  /** A counted attempt was right: give its slots back (as a successful sign-in does). */
  async attemptSucceeded(keys: readonly LimitKey[]): Promise<void> {
    await this.attempts.succeeded(keys).catch(() => undefined);
  }

  /** Audit a user's own account event under each of their organisations. */
  async auditAccount(
    userId: string,
    action: AuditAction,
    ip: string | null,
    requestId?: string,
    metadata?: Record<string, unknown>,
  ): Promise<void> {
    for (const m of await this.db.memberships.forUser(userId))
      await this.db.audit.record({
        organizationId: m.organizationId,
        actorType: 'user',
        actorId: userId,
        action,
        targetType: 'user',
        targetId: userId,
        metadata,
        ip: ip ?? undefined,
        requestId,
      });
  }

  private assertPasswordPolicy(password: string, email: string): void {
    const problem = passwordProblem(password, email);
    if (problem)
      throw new DomainError('validation_failed', 'the password is not accepted', [
        `password: ${problem}`,
      ]);
  }

  get sessionTtlMs(): number {
    return this.env.SESSION_TTL_HOURS * 3_600_000;
  }

  /** A session for a user signed in by single sign-on (no TOTP step: the IdP is the factor). */
  async sessionFor(user: User, organizationId: string, ip: string | null): Promise<SignedIn> {
    return { user, organizationId, ...(await this.startSession(user, ip)) };
  }

  /** 403 when an organisation of the user requires single sign-on (break-glass owner excepted). */
  private async assertPasswordAllowed(userId: string): Promise<void> {
    if ((await this.db.sso.passwordBlockedBy(userId)).length)
      throw new DomainError('forbidden', SSO_REQUIRED_MESSAGE, ['sso_required']);
  }

  private async startSession(user: User, ip: string | null) {
    const { value, session } = await this.db.sessions.create(user.id, this.sessionTtlMs, ip);
    await this.db.users.recordLogin(user.id);
    return { cookieValue: value, csrfToken: session.csrfToken };
  }

  /**
   * Sign-up answers the same whether or not the email has an account (same status and body, and
   * the same password hashing either way), so it cannot be used to find out who has one. A new
   * email gets a user and an organisation; then the client signs in with the password it chose.
   * An existing account is left as it was (its owner signs in with their own password).
   */
  async signup(
    body: SignupRequest,
    ip: string | null,
    requestId?: string,
  ): Promise<SignupResponse> {
    this.assertPasswordPolicy(body.password, body.email);
    // An address at a domain whose organisation requires single sign-on gets no password account.
    if (await this.db.sso.domainRequiresSso(body.email.slice(body.email.lastIndexOf('@') + 1)))
      throw new DomainError(
        'forbidden',
        'this email domain signs in with single sign-on: use "Continue with SSO"',
        ['sso_required'],
      );
    const passwordHash = await hashPassword(body.password);
    if (await this.db.users.findByEmail(body.email)) return SIGNUP_ACCEPTED;
    let slug = slugify(body.organizationName);
    for (let i = 2; await this.db.organizations.findBySlug(slug); i++)
      slug = `${slugify(body.organizationName)}-${i}`;
    let created;
    try {
      created = await this.db.memberships.createOrganizationWithOwner({
        organization: { name: body.organizationName, slug },
        user: { email: body.email, name: body.name, passwordHash },
      });
    } catch (e) {
      // A parallel sign-up for the same email won the race: same answer as for any existing one.
      if (await this.db.users.findByEmail(body.email)) return SIGNUP_ACCEPTED;
      throw e;
    }
    const { organization, user } = created;
    await this.db.audit.record({
      organizationId: organization.id,
      actorType: 'user',
      actorId: user.id,
      action: 'org.create',
      targetType: 'organization',
      targetId: organization.id,
      ip: ip ?? undefined,
      requestId,
    });
    await this.sendVerification(user, organization.id, requestId);
    return SIGNUP_ACCEPTED;
  }

  /**
   * Sign in with a password. For an account with two-factor authentication a right password
   * starts no session: the answer is a single-use challenge (5 minutes; only its hash stored) for
   * `loginWithSecondFactor`. The attempt's slots are given back only once the code is right, so
   * the sign-in limits count password and code attempts together.
   */
  async login(
    body: LoginRequest,
    ip: string | null,
    requestId?: string,
  ): Promise<SignedIn | MfaPending> {
    const keys = signInKeys(body.email, ip ?? 'unknown');
    await this.admit(keys);
    const user = await this.db.users.findByEmail(body.email);
    // An account without a password (made by single sign-on) fails like a wrong password.
    const ok =
      (await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH)) &&
      Boolean(user?.passwordHash);
    const memberships = user ? await this.db.memberships.forUser(user.id) : [];
    if (!user || !ok) {
      // Failed logins are audited under each organisation of the account (or none).
      const orgs = memberships.length ? memberships.map((m) => m.organizationId) : [null];
      for (const organizationId of orgs) {
        await this.db.audit.record({
          organizationId,
          actorType: 'user',
          actorId: user?.id ?? null,
          action: 'auth.login_failed',
          metadata: { email: body.email },
          ip: ip ?? undefined,
          requestId,
        });
      }
      throw new DomainError('unauthenticated', 'wrong email or password');
    }
    // Checked after the password, so it tells nothing to someone without it.
    await this.assertPasswordAllowed(user.id);
    if (user.mfaEnabledAt) {
      const { token } = await this.db.mfa.createChallenge(
        user.id,
        MFA_CHALLENGE_TTL_MINUTES * 60_000,
        ip,
      );
      return {
        mfa: {
          status: 'mfa_required',
          challenge: token,
          expiresInSeconds: MFA_CHALLENGE_TTL_MINUTES * 60,
        },
      };
    }
    await this.attempts.succeeded(keys).catch(() => undefined);
    for (const m of memberships) {
      await this.db.audit.record({
        organizationId: m.organizationId,
        actorType: 'user',
        actorId: user.id,
        action: 'auth.login',
        ip: ip ?? undefined,
        requestId,
      });
    }
    return {
      user,
      organizationId: memberships[0]?.organizationId ?? null,
      ...(await this.startSession(user, ip)),
    };
  }

  /**
   * The second step of a sign-in with two-factor authentication: the challenge and a code of the
   * authenticator app (not accepted twice: the time step is remembered) or an unused recovery
   * code. Counted by the sign-in limits like a password; a challenge takes 5 wrong codes, is
   * used once, and lasts 5 minutes. Sets the session as `login` does.
   */
  async loginWithSecondFactor(
    body: MfaLoginRequest,
    ip: string | null,
    requestId?: string,
  ): Promise<SignedIn> {
    const again = (why: string) =>
      new DomainError('unauthenticated', `${why}; sign in again with your password`);
    const challenge = await this.db.mfa.findChallenge(body.challenge);
    if (!challenge) throw again('this sign-in step is not valid');
    const user = challenge.user;
    const keys = signInKeys(user.email, ip ?? 'unknown');
    await this.admit(keys);
    if (challenge.usedAt) throw again('this sign-in step was completed already');
    if (challenge.expiresAt.getTime() <= Date.now())
      throw again(`this sign-in step has expired (it lasts ${MFA_CHALLENGE_TTL_MINUTES} minutes)`);
    if (challenge.attempts >= CHALLENGE_MAX_ATTEMPTS || !user.mfaEnabledAt)
      throw again('this sign-in step cannot be used any more');
    let problem: string | null = null;
    let method: 'totp' | 'recovery_code';
    if (body.recoveryCode !== undefined) {
      method = 'recovery_code';
      if (!(await this.db.mfa.useRecoveryCode(user.id, body.recoveryCode)))
        problem = 'wrong or already used recovery code';
    } else {
      method = 'totp';
      const state = await this.db.mfa.state(user.id);
      const keyring = this.agentless.keyring;
      if (!state?.totpSecretCiphertext || !keyring)
        throw new DomainError(
          'unavailable',
          'two-factor codes cannot be checked on this server now; use a recovery code',
        );
      const secret = openTotpSecret(keyring, user.id, state.totpSecretCiphertext);
      const step = matchingStep(secret, body.code ?? '');
      if (step === null) problem = 'wrong code';
      else if (!(await this.db.mfa.acceptStep(user.id, step)))
        problem = 'this code was used already; wait for the next one';
    }
    if (problem) {
      await this.db.mfa.failChallenge(challenge.id);
      await this.auditAccount(user.id, 'auth.mfa_failed', ip, requestId, { method });
      throw new DomainError('unauthenticated', problem);
    }
    if (!(await this.db.mfa.consumeChallenge(challenge.id)))
      throw again('this sign-in step was completed already or has expired');
    await this.attempts.succeeded(keys).catch(() => undefined);
    const memberships = await this.db.memberships.forUser(user.id);
    for (const m of memberships)
      await this.db.audit.record({
        organizationId: m.organizationId,
        actorType: 'user',
        actorId: user.id,
        action: 'auth.login',
        metadata: { secondFactor: method },
        ip: ip ?? undefined,
        requestId,
      });
    if (method === 'recovery_code')
      await this.auditAccount(user.id, 'auth.mfa_recovery_code_used', ip, requestId, {
        left: await this.db.mfa.remainingRecoveryCodes(user.id),
      });
    return {
      user,
      organizationId: memberships[0]?.organizationId ?? null,
      ...(await this.startSession(user, ip)),
    };
  }

  /** Mail a new email-verification link (earlier ones stop working). */
  private async sendVerification(
    user: User,
    organizationId: string | null,
    requestId?: string,
  ): Promise<void> {
    const { token } = await this.db.userTokens.issue(
      user.id,
      'verify_email',
      VERIFY_EMAIL_TTL_HOURS * 3_600_000,
    );
    await this.mail.enqueue(
      {
        organizationId,
        userId: user.id,
        to: user.email,
        kind: 'verify_email',
        ...verifyEmailMail(this.env.APP_URL, token, user.name, VERIFY_EMAIL_TTL_HOURS),
      },
      requestId,
    );
  }

  /**
   * Ask for a password-reset link. The same answer whether or not the email has an account, and
   * no mail for an unknown one; counted by the sign-in limits (own keys), so it cannot be used to
   * flood a mailbox. A known account gets a single-use link valid 30 minutes (its hash stored).
   * The link is written after the answer, so a known email takes no longer to answer than an
   * unknown one (no account enumeration by timing either).
   */
  async requestPasswordReset(
    email: string,
    ip: string | null,
    requestId?: string,
  ): Promise<PasswordResetAccepted> {
    await this.admit(signInKeys(email, ip ?? 'unknown', 'reset'));
    const user = await this.db.users.findByEmail(email);
    // No link for an account whose organisation requires single sign-on (the same answer).
    if (user && !(await this.db.sso.passwordBlockedBy(user.id)).length) {
      const work = this.mailPasswordReset(user, ip, requestId).catch((e: unknown) =>
        this.log.error(
          { requestId, userId: user.id, err: (e as Error).message },
          'password reset mail not queued',
        ),
      );
      this.background.add(work);
      void work.finally(() => this.background.delete(work));
    }
    return RESET_ACCEPTED;
  }

  private async mailPasswordReset(
    user: User,
    ip: string | null,
    requestId?: string,
  ): Promise<void> {
    const { token } = await this.db.userTokens.issue(
      user.id,
      'password_reset',
      PASSWORD_RESET_TTL_MINUTES * 60_000,
    );
    await this.mail.enqueue(
      {
        organizationId: null,
        userId: user.id,
        to: user.email,
        kind: 'password_reset',
        ...passwordResetMail(this.env.APP_URL, token, PASSWORD_RESET_TTL_MINUTES),
      },
      requestId,
    );
    for (const m of await this.db.memberships.forUser(user.id))
      await this.db.audit.record({
        organizationId: m.organizationId,
        actorType: 'user',
        actorId: user.id,
        action: 'auth.password_reset_requested',
        ip: ip ?? undefined,
        requestId,
      });
  }

  /**
   * Set a new password with a reset link: once, within its 30 minutes, for a password the policy
   * accepts. Every session of the account ends (and leaves this process's cache); audited.
   */
  async confirmPasswordReset(
    body: PasswordResetConfirm,
    ip: string | null,
    requestId?: string,
  ): Promise<{ status: 'reset'; next: 'sign_in' }> {
    const ttl = `${PASSWORD_RESET_TTL_MINUTES} minutes`;
    const check = await this.db.userTokens.check(body.token, 'password_reset');
    if (check.state !== 'valid') throw linkProblem(check.state, 'password reset', ttl);
    this.assertPasswordPolicy(body.password, check.email);
    const holder = await this.db.users.findByEmail(check.email);
    if (holder) await this.assertPasswordAllowed(holder.id);
    const outcome = await this.db.userTokens.resetPassword(
      body.token,
      await hashPassword(body.password),
    );
    if (outcome.state !== 'done') throw linkProblem(outcome.state, 'password reset', ttl);
    this.cache.forgetUser(outcome.userId);
    for (const m of await this.db.memberships.forUser(outcome.userId))
      await this.db.audit.record({
        organizationId: m.organizationId,
        actorType: 'user',
        actorId: outcome.userId,
        action: 'auth.password_reset',
        metadata: { sessionsRevoked: outcome.sessionsRevoked },
        ip: ip ?? undefined,
        requestId,
      });
    return { status: 'reset', next: 'sign_in' };
  }

  /** Confirm the email address with the link of the verification mail (once, within 24 h). */
  async verifyEmail(
    token: string,
    ip: string | null,
    requestId?: string,
  ): Promise<{ status: 'verified' }> {
    const outcome = await this.db.userTokens.verifyEmail(token);
    if (outcome.state !== 'valid')
      throw linkProblem(outcome.state, 'email verification', `${VERIFY_EMAIL_TTL_HOURS} hours`);
    this.cache.forgetUser(outcome.userId);
    for (const m of await this.db.memberships.forUser(outcome.userId))
      await this.db.audit.record({
        organizationId: m.organizationId,
        actorType: 'user',
        actorId: outcome.userId,
        action: 'auth.email_verified',
        ip: ip ?? undefined,
        requestId,
      });
    return { status: 'verified' };
  }

  /** A new verification mail for the signed-in user (rate limited like sign-in). */
  async resendVerification(
    user: User,
    ip: string | null,
    requestId?: string,
  ): Promise<{ status: 'sent' | 'already_verified' }> {
    if (user.emailVerifiedAt) return { status: 'already_verified' };
    await this.admit(signInKeys(user.email, ip ?? 'unknown', 'verify'));
    const current = await this.db.users.get(user.id);
    if (!current) throw new DomainError('unauthenticated', 'the account no longer exists');
    if (current.emailVerifiedAt) return { status: 'already_verified' };
    const memberships = await this.db.memberships.forUser(user.id);
    await this.sendVerification(current, memberships[0]?.organizationId ?? null, requestId);
    return { status: 'sent' };
  }

  async logout(sessionId: string): Promise<void> {
    await this.db.sessions.delete(sessionId);
  }

  async me(user: User) {
    const memberships = await this.db.memberships.forUser(user.id);
    const requiring = new Set(await this.db.mfa.organizationsRequiring(user.id));
    return {
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        emailVerified: user.emailVerifiedAt !== null,
        mfaEnabled: user.mfaEnabledAt !== null,
      },
      organizations: memberships.map((m) => ({
        ...m.organization,
        role: m.role,
        mfaRequired: requiring.has(m.organizationId),
      })),
    };
  }

  /** Accept an invite: as the signed-in user, or by creating the invited user's account. */
  async acceptInvite(
    body: AcceptInviteRequest,
    signedIn: User | null,
    ip: string | null,
    requestId?: string,
  ): Promise<{ organizationId: string; signedIn: SignedIn | null }> {
    const invite = await this.db.invites.findOpen(body.token);
    if (!invite) throw new DomainError('not_found', 'invite not found, already used or expired');
    let user = signedIn;
    let session: SignedIn | null = null;
    if (!user) {
      if (!body.name || !body.password) {
        throw new DomainError(
          'validation_failed',
          'name and password are needed to create the invited account',
        );
      }
      // A password account would be refused at sign-in: the invitee joins by single sign-on
      // (which honours this invite's role).
      if (await this.db.sso.organizationRequiresSso(invite.organizationId))
        throw new DomainError('forbidden', SSO_REQUIRED_MESSAGE, ['sso_required']);
      this.assertPasswordPolicy(body.password, invite.email);
      if (await this.db.users.findByEmail(invite.email)) {
        throw new DomainError(
          'conflict',
          'this email already has an account: sign in, then open the invite link again',
        );
      }
      user = await this.db.users.create({
        email: invite.email,
        name: body.name,
        passwordHash: await hashPassword(body.password),
      });
    } else if (user.email !== invite.email) {
      throw new DomainError(
        'forbidden',
        `this invite is for ${invite.email}; sign in with that account`,
      );
    }
    if (!(await this.db.invites.accept(invite.id, invite.organizationId, user.id, invite.role))) {
      throw new DomainError('conflict', 'invite was accepted already');
    }
    await this.db.audit.record({
      organizationId: invite.organizationId,
      actorType: 'user',
      actorId: user.id,
      action: 'member.join',
      targetType: 'invite',
      targetId: invite.id,
      metadata: { role: invite.role },
      ip: ip ?? undefined,
      requestId,
    });
    if (!signedIn)
      session = {
        user,
        organizationId: invite.organizationId,
        ...(await this.startSession(user, ip)),
      };
    return { organizationId: invite.organizationId, signedIn: session };
  }
}
