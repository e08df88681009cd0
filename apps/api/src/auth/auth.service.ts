import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import type {
  AcceptInviteRequest,
  LoginRequest,
  SignupRequest,
  SignupResponse,
} from '@plumbline/contracts';
import { hashPassword, verifyPassword, type Database, type User } from '@plumbline/db';
import type { Redis } from 'ioredis';
import { DomainError } from '../common/domain-error.js';
import { API_ENV, DATABASE, REDIS } from '../common/tokens.js';
import { passwordProblem } from './password-policy.js';
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
    super(
      'rate_limited',
      `too many sign-in attempts; try again in ${describeWait(retryAfterSeconds)}`,
    );
  }
}

function describeWait(seconds: number): string {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}

/** Longest wait for the attempt counters (Redis) before sign-in answers 503. */
const ADMIT_TIMEOUT_MS = 2000;

/** The answer to every sign-up, new email or not (no account enumeration). */
const SIGNUP_ACCEPTED: SignupResponse = { status: 'accepted', next: 'sign_in' };

export interface SignedIn {
  user: User;
  cookieValue: string;
  csrfToken: string;
  organizationId: string | null;
}

@Injectable()
export class AuthService implements OnApplicationShutdown {
  private readonly attempts: AttemptStore;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(API_ENV) private readonly env: ApiEnv,
    @Inject(REDIS) redis: Redis | null,
  ) {
    this.attempts = redis
      ? new RedisAttemptStore(redis, env.QUEUE_PREFIX)
      : new MemoryAttemptStore();
  }

  onApplicationShutdown(): void {
    this.attempts.close();
  }

  /**
   * Count a sign-in attempt on its keys before any password is checked (one atomic step), or
   * refuse it. Fails closed and fast: when the counters cannot be reached within 2 s (Redis
   * down), the answer is 503 and no password is checked.
   */
  private async admit(keys: readonly LimitKey[]): Promise<void> {
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
    return SIGNUP_ACCEPTED;
  }

  async login(body: LoginRequest, ip: string | null, requestId?: string): Promise<SignedIn> {
    const keys = signInKeys(body.email, ip ?? 'unknown');
    await this.admit(keys);
    const user = await this.db.users.findByEmail(body.email);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
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

  async logout(sessionId: string): Promise<void> {
    await this.db.sessions.delete(sessionId);
  }

  async me(user: User) {
    const memberships = await this.db.memberships.forUser(user.id);
    return {
      user: { id: user.id, email: user.email, name: user.name },
      organizations: memberships.map((m) => ({ ...m.organization, role: m.role })),
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
