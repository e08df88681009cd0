import { randomBytes, randomInt } from 'node:crypto';
import { hashScannerToken } from '../credentials.js';
import type { PrismaClient, User } from '../generated/prisma/client.js';

/** Recovery codes given at once (each works one time). */
export const RECOVERY_CODE_COUNT = 10;
/** Crockford-like alphabet without look-alikes (no I, L, O, U). */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `XXXX-XXXX-XXXX-XXXX`: 16 symbols of 5 bits (80 bits), so a plain SHA-256 is the right hash. */
export function generateRecoveryCode(): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s.match(/.{4}/g)!.join('-');
}

/** What is hashed: upper case, without separators or spaces (people type codes loosely). */
export function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

const hashCode = (code: string) => hashScannerToken(normaliseRecoveryCode(code));

/** The two-factor state of a user, as the API needs it (the sealed secrets stay opaque bytes). */
export interface MfaState {
  userId: string;
  email: string;
  mfaEnabledAt: Date | null;
  totpSecretCiphertext: Uint8Array | null;
  totpPendingCiphertext: Uint8Array | null;
  totpPendingAt: Date | null;
  totpLastStep: number | null;
}

export interface OpenChallenge {
  id: string;
  userId: string;
  attempts: number;
  expiresAt: Date;
  usedAt: Date | null;
  user: User;
}

/**
 * Two-factor authentication (TOTP) of users: the sealed secret, the replay guard (last accepted
 * time step), single-use recovery codes (SHA-256 only) and sign-in challenges (SHA-256 only).
 * Users are global; the organisation switch `requireMfa` is read and set by organisation.
 */
export class MfaRepository {
  constructor(private readonly db: PrismaClient) {}

  async state(userId: string): Promise<MfaState | null> {
    const u = await this.db.user.findUnique({
      where: { id: userId },
      select: {
        id: true,
        email: true,
        mfaEnabledAt: true,
        totpSecretCiphertext: true,
        totpPendingCiphertext: true,
        totpPendingAt: true,
        totpLastStep: true,
      },
    });
    if (!u) return null;
    const { id, ...rest } = u;
    return { userId: id, ...rest };
  }

  /** Store a new secret being enrolled (replaces an earlier unconfirmed one). */
  async setPending(userId: string, sealed: Uint8Array<ArrayBuffer>, now = new Date()) {
    await this.db.user.update({
      where: { id: userId },
      data: { totpPendingCiphertext: sealed, totpPendingAt: now },
    });
  }

  /**
   * Make the pending secret the active one (if it is still `pending`: a parallel enrolment did
   * not replace it), remember the code's time step, and replace the recovery codes; returns the
   * new codes in clear, once, or null when the pending secret changed meanwhile.
   */
  async activate(
    userId: string,
    pending: Uint8Array,
    step: number,
    now = new Date(),
  ): Promise<string[] | null> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ totpPendingCiphertext: Uint8Array | null }[]>`
        SELECT "totpPendingCiphertext" FROM "User" WHERE id = ${userId}::uuid FOR UPDATE`;
      const current = rows[0]?.totpPendingCiphertext;
      if (!current || !Buffer.from(current).equals(Buffer.from(pending))) return null;
      await tx.user.update({
        where: { id: userId },
        data: {
          totpSecretCiphertext: Buffer.from(current),
          totpPendingCiphertext: null,
          totpPendingAt: null,
          mfaEnabledAt: now,
          totpLastStep: step,
        },
      });
      const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
      await tx.recoveryCode.deleteMany({ where: { userId } });
      await tx.recoveryCode.createMany({
        data: codes.map((c) => ({ userId, codeHash: hashCode(c), createdAt: now })),
      });
      return codes;
    });
  }

  /**
   * The replay guard: accept time step `step` only if it is later than the last accepted one
   * (one atomic update, so two parallel requests with the same code cannot both pass).
   */
  async acceptStep(userId: string, step: number): Promise<boolean> {
    const r = await this.db.user.updateMany({
      where: {
        id: userId,
        mfaEnabledAt: { not: null },
        OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }],
      },
      data: { totpLastStep: step },
    });
    return r.count === 1;
  }

  /** New recovery codes (the old ones stop working); returned in clear once. */
  async replaceRecoveryCodes(userId: string, now = new Date()): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    await this.db.$transaction([
      this.db.recoveryCode.deleteMany({ where: { userId } }),
      this.db.recoveryCode.createMany({
        data: codes.map((c) => ({ userId, codeHash: hashCode(c), createdAt: now })),
      }),
    ]);
    return codes;
  }

  /** Use a recovery code: true once per code (atomic), false when unknown or used. */
  async useRecoveryCode(userId: string, code: string, now = new Date()): Promise<boolean> {
    const r = await this.db.recoveryCode.updateMany({
      where: { userId, codeHash: hashCode(code), usedAt: null },
      data: { usedAt: now },
    });
    return r.count === 1;
  }

  remainingRecoveryCodes(userId: string): Promise<number> {
    return this.db.recoveryCode.count({ where: { userId, usedAt: null } });
  }

  /** Turn two-factor authentication off: the secrets, codes and open challenges go. */
  async disable(userId: string): Promise<void> {
    await this.db.$transaction([
      this.db.user.update({
        where: { id: userId },
        data: {
          totpSecretCiphertext: null,
          totpPendingCiphertext: null,
          totpPendingAt: null,
          mfaEnabledAt: null,
          totpLastStep: null,
        },
      }),
      this.db.recoveryCode.deleteMany({ where: { userId } }),
      this.db.mfaChallenge.deleteMany({ where: { userId } }),
    ]);
  }

  // ---- sign-in challenges ----

  /** A challenge for a password that was right; the token is returned once (its hash stored). */
  async createChallenge(userId: string, ttlMs: number, ip: string | null, now = new Date()) {
    const token = randomBytes(32).toString('base64url');
    // Older challenges of the user past their time are of no use: tidy them on the way.
    await this.db.mfaChallenge.deleteMany({ where: { userId, expiresAt: { lt: now } } });
    const challenge = await this.db.mfaChallenge.create({
      data: {
        userId,
        tokenHash: hashScannerToken(token),
        ip,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ttlMs),
      },
    });
    return { token, expiresAt: challenge.expiresAt };
  }

  async findChallenge(token: string): Promise<OpenChallenge | null> {
    return this.db.mfaChallenge.findUnique({
      where: { tokenHash: hashScannerToken(token) },
      select: {
        id: true,
        userId: true,
        attempts: true,
        expiresAt: true,
        usedAt: true,
        user: true,
      },
    });
  }

  /** Count a wrong code on the challenge; returns the attempts so far. */
  async failChallenge(id: string): Promise<number> {
    const c = await this.db.mfaChallenge.update({
      where: { id },
      data: { attempts: { increment: 1 } },
      select: { attempts: true },
    });
    return c.attempts;
  }

  /** Use the challenge: true once (atomic), while it has not expired. */
  async consumeChallenge(id: string, now = new Date()): Promise<boolean> {
    const r = await this.db.mfaChallenge.updateMany({
      where: { id, usedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    return r.count === 1;
  }

  // ---- the organisation switch ----

  async requiredBy(organizationId: string): Promise<boolean> {
    const org = await this.db.organization.findUnique({
      where: { id: organizationId },
      select: { requireMfa: true },
    });
    return org?.requireMfa ?? false;
  }

  /** Returns the previous value (null when the organisation does not exist). */
  async setRequired(organizationId: string, required: boolean): Promise<boolean | null> {
    return this.db.$transaction(async (tx) => {
      const org = await tx.organization.findUnique({
        where: { id: organizationId },
        select: { requireMfa: true },
      });
      if (!org) return null;
      await tx.organization.update({
        where: { id: organizationId },
        data: { requireMfa: required },
      });
      return org.requireMfa;
    });
  }

  /** The organisations of a user that require two-factor authentication. */
  async organizationsRequiring(userId: string): Promise<string[]> {
    const rows = await this.db.membership.findMany({
      where: { userId, organization: { requireMfa: true } },
      select: { organizationId: true },
    });
    return rows.map((r) => r.organizationId);
  }
}
