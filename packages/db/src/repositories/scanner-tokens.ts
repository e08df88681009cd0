import { generateScannerToken, hashScannerToken } from '../credentials.js';
import type { PrismaClient, ScannerToken } from '../generated/prisma/client.js';

export interface AuthenticatedScanner {
  tokenId: string;
  organizationId: string;
  clusterId: string | null;
}

export type ScannerTokenView = Omit<ScannerToken, 'tokenHash'>;

const publicFields = {
  id: true,
  organizationId: true,
  clusterId: true,
  name: true,
  displayPrefix: true,
  createdById: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

export class ScannerTokenRepository {
  constructor(private readonly db: PrismaClient) {}

  /** Creates a token; the plain value is returned once and never stored. */
  async create(
    organizationId: string,
    data: { name: string; clusterId?: string; createdById?: string; expiresAt?: Date },
  ): Promise<{ token: string; record: ScannerTokenView }> {
    const token = generateScannerToken();
    const record = await this.db.scannerToken.create({
      data: {
        organizationId,
        name: data.name,
        clusterId: data.clusterId ?? null,
        createdById: data.createdById ?? null,
        expiresAt: data.expiresAt ?? null,
        displayPrefix: token.slice(0, 8),
        tokenHash: hashScannerToken(token),
      },
      select: publicFields,
    });
    return { token, record };
  }

  list(organizationId: string): Promise<ScannerTokenView[]> {
    return this.db.scannerToken.findMany({
      where: { organizationId },
      select: publicFields,
      orderBy: { createdAt: 'desc' },
    });
  }

  async revoke(organizationId: string, tokenId: string): Promise<boolean> {
    const r = await this.db.scannerToken.updateMany({
      where: { id: tokenId, organizationId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    return r.count === 1;
  }

  /**
   * Resolve a presented token to its organisation. This is the one lookup that cannot take an
   * organisation id: it is what establishes it. Revoked and expired tokens resolve to null.
   */
  async authenticate(token: string, now: Date = new Date()): Promise<AuthenticatedScanner | null> {
    const row = await this.db.scannerToken.findUnique({
      where: { tokenHash: hashScannerToken(token) },
      select: { id: true, organizationId: true, clusterId: true, revokedAt: true, expiresAt: true },
    });
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) return null;
    await this.db.scannerToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    return { tokenId: row.id, organizationId: row.organizationId, clusterId: row.clusterId };
  }
}
