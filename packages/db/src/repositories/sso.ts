import { randomBytes } from 'node:crypto';
import { hashScannerToken } from '../credentials.js';
import type { PrismaClient, Role, User } from '../generated/prisma/client.js';

/** A verified domain is held by another organisation (the unique `claimedDomain`). */
export class SsoDomainTakenError extends Error {
  constructor(public readonly domain: string) {
    super(`${domain} is verified by another organisation`);
    this.name = 'SsoDomainTakenError';
  }
}

export interface SsoDomainRow {
  domain: string;
  verifiedAt: Date | null;
}

/** An organisation's single sign-on settings as stored (the client secret stays sealed bytes). */
export interface SsoConfigRow {
  organizationId: string;
  enabled: boolean;
  issuer: string;
  clientId: string;
  clientSecretCiphertext: Uint8Array | null;
  defaultRole: Role;
  ssoRequired: boolean;
  breakGlassUserId: string | null;
  verificationToken: string;
  updatedAt: Date;
  domains: SsoDomainRow[];
}

export interface SsoConfigInput {
  enabled: boolean;
  issuer: string;
  clientId: string;
  /** Undefined: keep the stored secret. */
  clientSecretCiphertext?: Uint8Array<ArrayBuffer> | undefined;
  defaultRole: Exclude<Role, 'owner'>;
  ssoRequired: boolean;
  breakGlassUserId: string | null;
  /** Lower-case domains; those verified already stay verified, dropped ones are removed. */
  domains: readonly string[];
  /** Domains to verify at once (the saving owner's own verified address is at them). */
  verifyNow: readonly string[];
  updatedById: string;
}

export interface NewSsoAttempt {
  id: string;
  organizationId: string;
  state: string;
  browserToken: string;
  nonce: string;
  codeVerifierCiphertext: Uint8Array<ArrayBuffer>;
  returnTo: string | null;
  ip: string | null;
  expiresAt: Date;
}

export interface SsoAttemptRow {
  id: string;
  organizationId: string;
  nonce: string;
  codeVerifierCiphertext: Uint8Array;
  returnTo: string | null;
  expiresAt: Date;
  usedAt: Date | null;
  browserMatches: boolean;
}

const isUniqueViolation = (e: unknown) =>
  typeof e === 'object' && e !== null && (e as { code?: string }).code === 'P2002';

/**
 * OpenID Connect single sign-on: per-organisation settings (client secret sealed by the API),
 * email domains (a verified domain belongs to one organisation: `claimedDomain` is unique),
 * sign-in attempts (only hashes of the state and of the browser-binding cookie; single use),
 * and the links user <-> (issuer, subject). Every method is scoped by organisation except the
 * two look-ups a sign-in starts from: the domain of an email, and the hash of a state.
 */
export class SsoRepository {
  constructor(private readonly db: PrismaClient) {}

  async get(organizationId: string): Promise<SsoConfigRow | null> {
    const c = await this.db.ssoConfig.findUnique({ where: { organizationId } });
    if (!c) return null;
    const domains = await this.db.ssoDomain.findMany({
      where: { organizationId },
      orderBy: { domain: 'asc' },
      select: { domain: true, verifiedAt: true },
    });
    return {
      organizationId: c.organizationId,
      enabled: c.enabled,
      issuer: c.issuer,
      clientId: c.clientId,
      clientSecretCiphertext: c.clientSecretCiphertext,
      defaultRole: c.defaultRole,
      ssoRequired: c.ssoRequired,
      breakGlassUserId: c.breakGlassUserId,
      verificationToken: c.verificationToken,
      updatedAt: c.updatedAt,
      domains,
    };
  }

  /**
   * Which of `domains` another organisation holds verified (save-time check; the unique index
   * is the final word).
   */
  async claimedElsewhere(organizationId: string, domains: readonly string[]): Promise<string[]> {
    const rows = await this.db.ssoDomain.findMany({
      where: { claimedDomain: { in: [...domains] }, organizationId: { not: organizationId } },
      select: { domain: true },
    });
    return rows.map((r) => r.domain);
  }

  /**
   * Create or replace the settings and the domain list in one transaction. Throws
   * SsoDomainTakenError when a domain to verify now is verified by another organisation.
   */
  async save(organizationId: string, input: SsoConfigInput, now = new Date()) {
    try {
      return await this.db.$transaction(async (tx) => {
        const existing = await tx.ssoConfig.findUnique({ where: { organizationId } });
        const common = {
          enabled: input.enabled,
          issuer: input.issuer,
          clientId: input.clientId,
          defaultRole: input.defaultRole,
          ssoRequired: input.ssoRequired,
          breakGlassUserId: input.breakGlassUserId,
          updatedById: input.updatedById,
          ...(input.clientSecretCiphertext
            ? { clientSecretCiphertext: input.clientSecretCiphertext }
            : {}),
        };
        if (existing) await tx.ssoConfig.update({ where: { organizationId }, data: common });
        else
          await tx.ssoConfig.create({
            data: {
              organizationId,
              ...common,
              verificationToken: randomBytes(18).toString('base64url'),
            },
          });
        await tx.ssoDomain.deleteMany({
          where: { organizationId, domain: { notIn: [...input.domains] } },
        });
        for (const domain of input.domains) {
          const verify = input.verifyNow.includes(domain);
          await tx.ssoDomain.upsert({
            where: { organizationId_domain: { organizationId, domain } },
            create: {
              organizationId,
              domain,
              ...(verify ? { verifiedAt: now, claimedDomain: domain } : {}),
            },
            update: {},
          });
          if (verify)
            await tx.ssoDomain.updateMany({
              where: { organizationId, domain, verifiedAt: null },
              data: { verifiedAt: now, claimedDomain: domain },
            });
        }
        return { created: !existing };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new SsoDomainTakenError(input.verifyNow.join(', '));
      throw e;
    }
  }

  /** Mark one domain verified. Null when the organisation has no such domain. */
  async markVerified(
    organizationId: string,
    domain: string,
    now = new Date(),
  ): Promise<SsoDomainRow | null> {
    try {
      await this.db.ssoDomain.updateMany({
        where: { organizationId, domain, verifiedAt: null },
        data: { verifiedAt: now, claimedDomain: domain },
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new SsoDomainTakenError(domain);
      throw e;
    }
    return this.domain(organizationId, domain);
  }

  domain(organizationId: string, domain: string): Promise<SsoDomainRow | null> {
    return this.db.ssoDomain.findUnique({
      where: { organizationId_domain: { organizationId, domain } },
      select: { domain: true, verifiedAt: true },
    });
  }

  /** Remove the settings, domains, open attempts and identity links. False: there were none. */
  async remove(organizationId: string): Promise<boolean> {
    const [, , , config] = await this.db.$transaction([
      this.db.ssoDomain.deleteMany({ where: { organizationId } }),
      this.db.ssoLoginAttempt.deleteMany({ where: { organizationId } }),
      this.db.ssoIdentity.deleteMany({ where: { organizationId } }),
      this.db.ssoConfig.deleteMany({ where: { organizationId } }),
    ]);
    return config.count > 0;
  }

  /** The organisation a verified domain routes to, when its single sign-on is enabled. */
  async routeForDomain(domain: string): Promise<string | null> {
    const row = await this.db.ssoDomain.findUnique({
      where: { claimedDomain: domain },
      select: { organizationId: true, organization: { select: { ssoConfig: true } } },
    });
    return row?.organization.ssoConfig?.enabled ? row.organizationId : null;
  }

  /** Whether a verified domain belongs to an organisation with enabled, required single sign-on. */
  async domainRequiresSso(domain: string): Promise<boolean> {
    const row = await this.db.ssoDomain.findUnique({
      where: { claimedDomain: domain },
      select: { organization: { select: { ssoConfig: true } } },
    });
    const c = row?.organization.ssoConfig;
    return Boolean(c?.enabled && c.ssoRequired);
  }

  /** Whether the organisation has enabled, required single sign-on. */
  async organizationRequiresSso(organizationId: string): Promise<boolean> {
    const c = await this.db.ssoConfig.findUnique({
      where: { organizationId },
      select: { enabled: true, ssoRequired: true },
    });
    return Boolean(c?.enabled && c.ssoRequired);
  }

  /**
   * The organisations whose required single sign-on keeps this user from using a password: each
   * organisation of theirs with enabled + required SSO where they are not the break-glass owner.
   */
  async passwordBlockedBy(userId: string): Promise<string[]> {
    const rows = await this.db.membership.findMany({
      where: { userId, organization: { ssoConfig: { enabled: true, ssoRequired: true } } },
      select: {
        organizationId: true,
        role: true,
        organization: { select: { ssoConfig: { select: { breakGlassUserId: true } } } },
      },
    });
    return rows
      .filter((r) => !(r.role === 'owner' && r.organization.ssoConfig?.breakGlassUserId === userId))
      .map((r) => r.organizationId);
  }

  // ---- sign-in attempts ----

  async createAttempt(a: NewSsoAttempt, now = new Date()): Promise<void> {
    // Attempts past their time are of no use: tidy the organisation's on the way.
    await this.db.ssoLoginAttempt.deleteMany({
      where: { organizationId: a.organizationId, expiresAt: { lt: now } },
    });
    await this.db.ssoLoginAttempt.create({
      data: {
        id: a.id,
        organizationId: a.organizationId,
        stateHash: hashScannerToken(a.state),
        browserHash: hashScannerToken(a.browserToken),
        nonce: a.nonce,
        codeVerifierCiphertext: a.codeVerifierCiphertext,
        returnTo: a.returnTo,
        ip: a.ip,
        createdAt: now,
        expiresAt: a.expiresAt,
      },
    });
  }

  /** The attempt of a state (by its hash), and whether the browser's cookie is the one it set. */
  async findAttempt(state: string, browserToken: string | null): Promise<SsoAttemptRow | null> {
    const row = await this.db.ssoLoginAttempt.findUnique({
      where: { stateHash: hashScannerToken(state) },
    });
    if (!row) return null;
    return {
      id: row.id,
      organizationId: row.organizationId,
      nonce: row.nonce,
      codeVerifierCiphertext: row.codeVerifierCiphertext,
      returnTo: row.returnTo,
      expiresAt: row.expiresAt,
      usedAt: row.usedAt,
      browserMatches: browserToken !== null && hashScannerToken(browserToken) === row.browserHash,
    };
  }

  /** Use the attempt: true once (atomic), while it has not expired. */
  async consumeAttempt(organizationId: string, id: string, now = new Date()): Promise<boolean> {
    const r = await this.db.ssoLoginAttempt.updateMany({
      where: { id, organizationId, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return r.count === 1;
  }

  // ---- identities and just-in-time membership ----

  /** The user linked to (issuer, subject) at this organisation. */
  async userByIdentity(
    organizationId: string,
    issuer: string,
    subject: string,
  ): Promise<User | null> {
    const link = await this.db.ssoIdentity.findUnique({
      where: { organizationId_issuer_subject: { organizationId, issuer, subject } },
      select: { user: true },
    });
    return link?.user ?? null;
  }

  /**
   * Find or create the user of a signed-in identity, link the identity, and make sure of the
   * membership (created with `defaultRole` when missing). A new user has no password and a
   * verified address (the identity provider verified it).
   */
  async signIn(
    organizationId: string,
    identity: { issuer: string; subject: string; email: string; name: string },
    defaultRole: Exclude<Role, 'owner'>,
    now = new Date(),
  ): Promise<{ user: User; userCreated: boolean; membershipCreated: Role | null }> {
    return this.db.$transaction(async (tx) => {
      const key = { organizationId, issuer: identity.issuer, subject: identity.subject };
      const link = await tx.ssoIdentity.findUnique({
        where: { organizationId_issuer_subject: key },
        select: { user: true },
      });
      let user = link?.user ?? null;
      let userCreated = false;
      if (!user) user = await tx.user.findUnique({ where: { email: identity.email } });
      if (!user) {
        user = await tx.user.create({
          data: {
            email: identity.email,
            name: identity.name,
            passwordHash: null,
            emailVerifiedAt: now,
          },
        });
        userCreated = true;
      } else if (!user.emailVerifiedAt && user.email === identity.email) {
        // The identity provider verified this address (at a domain the organisation proved).
        user = await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now } });
      }
      await tx.ssoIdentity.upsert({
        where: { organizationId_issuer_subject: key },
        create: { ...key, userId: user.id, lastLoginAt: now },
        update: { lastLoginAt: now },
      });
      const member = await tx.membership.findUnique({
        where: { organizationId_userId: { organizationId, userId: user.id } },
      });
      let membershipCreated: Role | null = null;
      if (!member) {
        // An open invite for this address sets the role (and is used up); otherwise the default.
        const invite = await tx.invite.findFirst({
          where: {
            organizationId,
            email: identity.email,
            acceptedAt: null,
            expiresAt: { gt: now },
          },
          orderBy: { createdAt: 'desc' },
        });
        const role = invite?.role ?? defaultRole;
        if (invite)
          await tx.invite.updateMany({
            where: { organizationId, email: identity.email, acceptedAt: null },
            data: { acceptedAt: now },
          });
        await tx.membership.create({ data: { organizationId, userId: user.id, role } });
        membershipCreated = role;
      }
      await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: now } });
      return { user, userCreated, membershipCreated };
    });
  }
}
