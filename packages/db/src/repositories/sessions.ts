import { randomBytes } from 'node:crypto';
import { hashScannerToken } from '../credentials.js';
import type { Invite, PrismaClient, Role, Session, User } from '../generated/prisma/client.js';

const token = () => randomBytes(32).toString('base64url');

export class SessionRepository {
  constructor(private readonly db: PrismaClient) {}

  /** A new session; the cookie value is returned once, only its hash is stored. */
  async create(userId: string, ttlMs: number, ip: string | null, now = new Date()) {
    const value = token();
    const session = await this.db.session.create({
      data: {
        userId,
        tokenHash: hashScannerToken(value),
        csrfToken: token(),
        expiresAt: new Date(now.getTime() + ttlMs),
        ip,
      },
    });
    return { value, session };
  }

  /** The live session for a cookie value, with its user; expired sessions resolve to null. */
  async find(value: string, now = new Date()): Promise<(Session & { user: User }) | null> {
    const s = await this.db.session.findUnique({
      where: { tokenHash: hashScannerToken(value) },
      include: { user: true },
    });
    if (!s || s.expiresAt <= now) return null;
    return s;
  }

  async touch(id: string, now = new Date()): Promise<void> {
    await this.db.session.update({ where: { id }, data: { lastSeenAt: now } });
  }

  async delete(id: string): Promise<void> {
    await this.db.session.deleteMany({ where: { id } });
  }
}

export class InviteRepository {
  constructor(private readonly db: PrismaClient) {}

  async create(
    organizationId: string,
    data: { email: string; role: Role; invitedById: string; ttlMs: number },
    now = new Date(),
  ): Promise<{ token: string; invite: Omit<Invite, 'tokenHash'> }> {
    const value = token();
    const invite = await this.db.invite.create({
      data: {
        organizationId,
        email: data.email.toLowerCase(),
        role: data.role,
        invitedById: data.invitedById,
        tokenHash: hashScannerToken(value),
        expiresAt: new Date(now.getTime() + data.ttlMs),
      },
      omit: { tokenHash: true },
    });
    return { token: value, invite };
  }

  list(organizationId: string) {
    return this.db.invite.findMany({
      where: { organizationId },
      omit: { tokenHash: true },
      orderBy: { createdAt: 'desc' },
    });
  }

  /** An open invite for a token (the token is what identifies the organisation). */
  async findOpen(value: string, now = new Date()) {
    const invite = await this.db.invite.findUnique({
      where: { tokenHash: hashScannerToken(value) },
      include: { organization: { select: { id: true, name: true, slug: true } } },
      omit: { tokenHash: true },
    });
    if (!invite || invite.acceptedAt || invite.expiresAt <= now) return null;
    return invite;
  }

  /** Accept once: adds the membership and closes the invite in one transaction. */
  async accept(
    inviteId: string,
    organizationId: string,
    userId: string,
    role: Role,
    now = new Date(),
  ): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const r = await tx.invite.updateMany({
        where: { id: inviteId, organizationId, acceptedAt: null },
        data: { acceptedAt: now },
      });
      if (r.count !== 1) return false;
      await tx.membership.upsert({
        where: { organizationId_userId: { organizationId, userId } },
        create: { organizationId, userId, role },
        update: {},
      });
      return true;
    });
  }
}
