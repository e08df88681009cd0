import { Inject, Injectable } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import type { AcceptInviteRequest, LoginRequest, SignupRequest } from '@plumbline/contracts';
import { hashPassword, verifyPassword, type Database, type User } from '@plumbline/db';
import { DomainError } from '../common/domain-error.js';
import { API_ENV, DATABASE } from '../common/tokens.js';
import { AttemptLimiter } from './rate-limit.js';

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

export interface SignedIn {
  user: User;
  cookieValue: string;
  csrfToken: string;
  organizationId: string | null;
}

@Injectable()
export class AuthService {
  private readonly byEmail = new AttemptLimiter(5, 15 * 60_000);
  private readonly byIp = new AttemptLimiter(30, 15 * 60_000);

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(API_ENV) private readonly env: ApiEnv,
  ) {}

  get sessionTtlMs(): number {
    return this.env.SESSION_TTL_HOURS * 3_600_000;
  }

  private async startSession(user: User, ip: string | null) {
    const { value, session } = await this.db.sessions.create(user.id, this.sessionTtlMs, ip);
    await this.db.users.recordLogin(user.id);
    return { cookieValue: value, csrfToken: session.csrfToken };
  }

  async signup(body: SignupRequest, ip: string | null, requestId?: string): Promise<SignedIn> {
    if (await this.db.users.findByEmail(body.email)) {
      throw new DomainError('conflict', 'an account with this email exists; sign in instead');
    }
    let slug = slugify(body.organizationName);
    for (let i = 2; await this.db.organizations.findBySlug(slug); i++)
      slug = `${slugify(body.organizationName)}-${i}`;
    const { organization, user } = await this.db.memberships.createOrganizationWithOwner({
      organization: { name: body.organizationName, slug },
      user: { email: body.email, name: body.name, passwordHash: await hashPassword(body.password) },
    });
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
    return { user, organizationId: organization.id, ...(await this.startSession(user, ip)) };
  }

  async login(body: LoginRequest, ip: string | null, requestId?: string): Promise<SignedIn> {
    const ipKey = `ip:${ip ?? 'unknown'}`;
    const emailKey = `email:${body.email}`;
    if (this.byEmail.blocked(emailKey) || this.byIp.blocked(ipKey)) {
      throw new DomainError(
        'rate_limited',
        'too many failed sign-ins; wait 15 minutes and try again',
      );
    }
    const user = await this.db.users.findByEmail(body.email);
    const ok = await verifyPassword(body.password, user?.passwordHash ?? DUMMY_HASH);
    const memberships = user ? await this.db.memberships.forUser(user.id) : [];
    if (!user || !ok) {
      this.byEmail.fail(emailKey);
      this.byIp.fail(ipKey);
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
    this.byEmail.reset(emailKey);
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
