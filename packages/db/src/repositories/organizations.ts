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

  roleOf(organizationId: string, userId: string): Promise<Role | null> {
    return this.db.membership
      .findUnique({ where: { organizationId_userId: { organizationId, userId } } })
      .then((m) => m?.role ?? null);
  }
}
