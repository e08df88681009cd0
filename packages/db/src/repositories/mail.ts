import { randomBytes } from 'node:crypto';
import { hashScannerToken } from '../credentials.js';
import type {
  EmailKind,
  OutboxEmail,
  PrismaClient,
  UserTokenPurpose,
} from '../generated/prisma/client.js';

export interface NewOutboxEmail {
  organizationId: string | null;
  userId?: string | null;
  to: string;
  kind: EmailKind;
  subject: string;
  text: string;
  html?: string | null;
  /** The report whose PDF the mail carries; delivery waits until it is printed. */
  reportId?: string | null;
}

/** What replaces the body of a delivered mail that carried a one-time link. */
export const DELIVERED_BODY_REMOVED = '[removed after delivery: this mail carried a one-time link]';

/** Longest error text kept on a row. */
const MAX_ERROR = 1000;

/**
 * The mail outbox. Rows are written by the request (or job) that wants the mail and delivered
 * by the `email.send` job; reads by id are system reads of that job (the id comes from a row
 * the same system wrote), every organisation read is scoped by organisation.
 */
export class OutboxRepository {
  constructor(private readonly db: PrismaClient) {}

  create(mail: NewOutboxEmail): Promise<OutboxEmail> {
    return this.db.outboxEmail.create({
      data: {
        organizationId: mail.organizationId,
        userId: mail.userId ?? null,
        to: mail.to,
        kind: mail.kind,
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? null,
        reportId: mail.reportId ?? null,
      },
    });
  }

  /** System read of report.render: the queued mails waiting for this report's PDF (ids only). */
  waitingForReport(reportId: string): Promise<{ id: string }[]> {
    return this.db.outboxEmail.findMany({
      where: { reportId, status: 'queued' },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
    });
  }

  get(id: string): Promise<OutboxEmail | null> {
    return this.db.outboxEmail.findUnique({ where: { id } });
  }

  /**
   * Take the row for one delivery attempt: only while it is queued and no other run holds it
   * (its lease ended). Counts the attempt. Null when it is sent, failed, gone or held.
   */
  async claim(id: string, leaseMs: number, now = new Date()): Promise<OutboxEmail | null> {
    const r = await this.db.outboxEmail.updateMany({
      where: {
        id,
        status: 'queued',
        OR: [{ leaseUntil: null }, { leaseUntil: { lte: now } }],
      },
      data: { leaseUntil: new Date(now.getTime() + leaseMs), attempts: { increment: 1 } },
    });
    return r.count === 1 ? this.get(id) : null;
  }

  /** Delivered: never sent again. `removeBody` drops a one-time link from the stored text. */
  async markSent(
    id: string,
    messageId: string,
    removeBody: boolean,
    now = new Date(),
  ): Promise<void> {
    await this.db.outboxEmail.updateMany({
      where: { id, status: 'queued' },
      data: {
        status: 'sent',
        messageId: messageId.slice(0, 500),
        sentAt: now,
        leaseUntil: null,
        lastError: null,
        ...(removeBody ? { text: DELIVERED_BODY_REMOVED, html: null } : {}),
      },
    });
  }

  /** One attempt failed: keep the reason; `final` gives up (status failed). */
  async markFailed(id: string, error: string, final: boolean): Promise<void> {
    await this.db.outboxEmail.updateMany({
      where: { id, status: 'queued' },
      data: {
        lastError: error.slice(0, MAX_ERROR),
        leaseUntil: null,
        ...(final ? { status: 'failed' } : {}),
      },
    });
  }

  /** System read of the reconciler: queued mails created before `olderThan` (ids only). */
  unfinished(olderThan: Date, take = 500): Promise<{ id: string }[]> {
    return this.db.outboxEmail.findMany({
      where: { status: 'queued', createdAt: { lt: olderThan } },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
      take,
    });
  }

  /** System read of the development mailbox (never registered in production): newest first. */
  newest(take: number): Promise<OutboxEmail[]> {
    return this.db.outboxEmail.findMany({ orderBy: { createdAt: 'desc' }, take });
  }

  /** The organisation's mails, newest first, without their bodies. */
  listForOrganization(organizationId: string, take = 100) {
    return this.db.outboxEmail.findMany({
      where: { organizationId },
      orderBy: { createdAt: 'desc' },
      take,
      omit: { text: true, html: true },
    });
  }
}

export type TokenCheck =
  | { state: 'valid'; tokenId: string; userId: string; email: string }
  | { state: 'unknown' | 'used' | 'expired' };

export type ResetOutcome =
  | { state: 'done'; userId: string; sessionsRevoked: number }
  | { state: 'unknown' | 'used' | 'expired' };

/**
 * One-time tokens mailed to users: email verification and password reset. The token is
 * returned once by `issue`; only its SHA-256 is stored. Using a token marks it used in the same
 * transaction as its effect, so it works once even when two requests race.
 */
export class UserTokenRepository {
  constructor(private readonly db: PrismaClient) {}

  /** A new token; the user's earlier unused tokens of the same purpose stop working. */
  async issue(
    userId: string,
    purpose: UserTokenPurpose,
    ttlMs: number,
    now = new Date(),
  ): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.db.$transaction([
      this.db.userToken.deleteMany({ where: { userId, purpose, usedAt: null } }),
      this.db.userToken.create({
        data: { userId, purpose, tokenHash: hashScannerToken(token), expiresAt },
      }),
    ]);
    return { token, expiresAt };
  }

  /** What a token is, without using it. */
  async check(token: string, purpose: UserTokenPurpose, now = new Date()): Promise<TokenCheck> {
    const row = await this.db.userToken.findUnique({
      where: { tokenHash: hashScannerToken(token) },
      include: { user: { select: { email: true } } },
    });
    if (!row || row.purpose !== purpose) return { state: 'unknown' };
    if (row.usedAt) return { state: 'used' };
    if (row.expiresAt <= now) return { state: 'expired' };
    return { state: 'valid', tokenId: row.id, userId: row.userId, email: row.user.email };
  }

  /**
   * Use a password-reset token: in one transaction the token is marked used (only if it still
   * is unused and unexpired), the password hash replaced, the address marked confirmed (the link
   * reached it), and every session of the user deleted.
   */
  async resetPassword(
    token: string,
    passwordHash: string,
    now = new Date(),
  ): Promise<ResetOutcome> {
    const outcome = await this.db.$transaction(async (tx) => {
      const row = await tx.userToken.findUnique({
        where: { tokenHash: hashScannerToken(token) },
      });
      if (!row || row.purpose !== 'password_reset') return null;
      const used = await tx.userToken.updateMany({
        where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (used.count !== 1) return null;
      await tx.user.update({ where: { id: row.userId }, data: { passwordHash } });
      // The link arrived in the mailbox: the address is the user's.
      await tx.user.updateMany({
        where: { id: row.userId, emailVerifiedAt: null },
        data: { emailVerifiedAt: now },
      });
      // Every other reset link of the user stops working too.
      await tx.userToken.deleteMany({
        where: { userId: row.userId, purpose: 'password_reset', usedAt: null },
      });
      const sessions = await tx.session.deleteMany({ where: { userId: row.userId } });
      return { state: 'done', userId: row.userId, sessionsRevoked: sessions.count } as const;
    });
    if (outcome) return outcome;
    const check = await this.check(token, 'password_reset', now);
    return check.state === 'valid' ? { state: 'used' } : check;
  }

  /** Use a verification token: marks it used and the user's email verified, in one transaction. */
  async verifyEmail(token: string, now = new Date()): Promise<TokenCheck> {
    const done = await this.db.$transaction(async (tx) => {
      const row = await tx.userToken.findUnique({
        where: { tokenHash: hashScannerToken(token) },
        include: { user: { select: { email: true } } },
      });
      if (!row || row.purpose !== 'verify_email') return null;
      const used = await tx.userToken.updateMany({
        where: { id: row.id, usedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (used.count !== 1) return null;
      await tx.user.updateMany({
        where: { id: row.userId, emailVerifiedAt: null },
        data: { emailVerifiedAt: now },
      });
      return {
        state: 'valid',
        tokenId: row.id,
        userId: row.userId,
        email: row.user.email,
      } as const;
    });
    if (done) return done;
    const check = await this.check(token, 'verify_email', now);
    return check.state === 'valid' ? { state: 'used' } : check;
  }
}
