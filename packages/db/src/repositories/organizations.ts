import type { PrismaClient } from '../generated/prisma/client.js';
import type { Organization, Role, User } from '../generated/prisma/client.js';

export class OrganizationRepository {
  constructor(private readonly db: PrismaClient) {}

  create(data: { name: string; slug: string }): Promise<Organization> {
    return this.db.organization.create({ data });
  }

  get(organizationId: string): Promise<Organization | null> {
    return this.db.organization.findUnique({ where: { id: organizationId } });
  }

  /** Lookup by public slug (used by the seed and sign-up to check availability). */
  findBySlug(slug: string): Promise<Organization | null> {
    return this.db.organization.findUnique({ where: { slug } });
  }
}

export class UserRepository {
  constructor(private readonly db: PrismaClient) {}

  create(data: { email: string; name: string; passwordHash: string }): Promise<User> {
    return this.db.user.create({ data: { ...data, email: data.email.toLowerCase() } });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.db.user.findUnique({ where: { email: email.toLowerCase() } });
  }

  get(userId: string): Promise<User | null> {
    return this.db.user.findUnique({ where: { id: userId } });
  }

  /** The seeded demo user, and tests: the address counts as confirmed. */
  async markEmailVerified(userId: string, now = new Date()): Promise<void> {
    await this.db.user.updateMany({
      where: { id: userId, emailVerifiedAt: null },
      data: { emailVerifiedAt: now },
    });
  }

  async recordLogin(userId: string, now = new Date()): Promise<void> {
    await this.db.user.update({ where: { id: userId }, data: { lastLoginAt: now } });
  }
}

export class MembershipRepository {
  constructor(private readonly db: PrismaClient) {}

  async add(organizationId: string, userId: string, role: Role): Promise<void> {
    await this.db.membership.upsert({
      where: { organizationId_userId: { organizationId, userId } },
      create: { organizationId, userId, role },
      update: { role },
    });
  }

  /** The organisations a user belongs to, with their role. */
  forUser(userId: string) {
    return this.db.membership.findMany({
      where: { userId },
      include: { organization: { select: { id: true, name: true, slug: true } } },
      orderBy: { createdAt: 'asc' },
    });
  }

  list(organizationId: string) {
    return this.db.membership.findMany({
      where: { organizationId },
      include: { user: { select: { id: true, email: true, name: true, lastLoginAt: true } } },
      orderBy: { createdAt: 'asc' },
    });
  }

  async setRole(organizationId: string, userId: string, role: Role): Promise<boolean> {
    const r = await this.db.membership.updateMany({
      where: { organizationId, userId },
      data: { role },
    });
    return r.count === 1;
  }

  countOwners(organizationId: string): Promise<number> {
    return this.db.membership.count({ where: { organizationId, role: 'owner' } });
  }

  /** Sign-up: organisation, user and owner membership in one transaction. */
  async createOrganizationWithOwner(data: {
    organization: { name: string; slug: string };
    user: { email: string; name: string; passwordHash: string };
  }) {
    return this.db.$transaction(async (tx) => {
      const organization = await tx.organization.create({ data: data.organization });
      const user = await tx.user.create({
        data: { ...data.user, email: data.user.email.toLowerCase() },
      });
      await tx.membership.create({
        data: { organizationId: organization.id, userId: user.id, role: 'owner' },
      });
      return { organization, user };
    });
  }

  roleOf(organizationId: string, userId: string): Promise<Role | null> {
    return this.db.membership
      .findUnique({ where: { organizationId_userId: { organizationId, userId } } })
      .then((m) => m?.role ?? null);
  }
}
