import { Prisma } from '../generated/prisma/client.js';
import type { ClusterConnection, PrismaClient, ScanStatus } from '../generated/prisma/client.js';

/** A connection as it may leave the data layer: the ciphertexts are never part of it. */
export type ClusterConnectionView = Omit<
  ClusterConnection,
  'tokenCiphertext' | 'caDataCiphertext'
> & {
  hasCaData: boolean;
};

/** The encrypted credentials, for the scan job only (still ciphertext: the caller decrypts). */
export interface ClusterConnectionSecrets {
  connection: ClusterConnectionView;
  tokenCiphertext: Uint8Array;
  caDataCiphertext: Uint8Array | null;
}

export interface NewClusterConnection {
  /** Chosen by the caller before encrypting: the ciphertexts are bound to it. */
  id: string;
  name: string;
  server: string;
  tokenCiphertext: Uint8Array<ArrayBuffer>;
  caDataCiphertext: Uint8Array<ArrayBuffer> | null;
  tokenFingerprint: string;
  scheduleMinutes: number | null;
  enabled: boolean;
  createdById: string | null;
}

export interface ClusterConnectionChanges {
  name?: string;
  server?: string;
  scheduleMinutes?: number | null;
  enabled?: boolean;
  tokenCiphertext?: Uint8Array<ArrayBuffer>;
  tokenFingerprint?: string;
  /** null removes the CA data (the system trust store is used). */
  caDataCiphertext?: Uint8Array<ArrayBuffer> | null;
}

/** A scheduled connection, for keeping the queue's schedules in step with the table. */
export interface ScheduledConnection {
  id: string;
  organizationId: string;
  scheduleMinutes: number;
}

function view(row: ClusterConnection): ClusterConnectionView {
  const { tokenCiphertext: _t, caDataCiphertext, ...rest } = row;
  return { ...rest, hasCaData: caDataCiphertext !== null };
}

export class DuplicateConnectionNameError extends Error {
  constructor(name: string) {
    super(`a cluster connection named "${name}" already exists`);
    this.name = 'DuplicateConnectionNameError';
  }
}

function rethrowDuplicate(e: unknown, name: string | undefined): never {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002' && name)
    throw new DuplicateConnectionNameError(name);
  throw e;
}

/** Registered cluster API endpoints for agentless scans, scoped by organisation. */
export class ClusterConnectionRepository {
  constructor(private readonly db: PrismaClient) {}

  async create(organizationId: string, data: NewClusterConnection): Promise<ClusterConnectionView> {
    try {
      return view(await this.db.clusterConnection.create({ data: { organizationId, ...data } }));
    } catch (e) {
      rethrowDuplicate(e, data.name);
    }
  }

  async list(organizationId: string): Promise<ClusterConnectionView[]> {
    const rows = await this.db.clusterConnection.findMany({
      where: { organizationId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(view);
  }

  async get(organizationId: string, id: string): Promise<ClusterConnectionView | null> {
    const row = await this.db.clusterConnection.findFirst({ where: { id, organizationId } });
    return row ? view(row) : null;
  }

  async getSecrets(organizationId: string, id: string): Promise<ClusterConnectionSecrets | null> {
    const row = await this.db.clusterConnection.findFirst({ where: { id, organizationId } });
    if (!row) return null;
    return {
      connection: view(row),
      tokenCiphertext: row.tokenCiphertext,
      caDataCiphertext: row.caDataCiphertext,
    };
  }

  async update(
    organizationId: string,
    id: string,
    changes: ClusterConnectionChanges,
  ): Promise<ClusterConnectionView | null> {
    try {
      const r = await this.db.clusterConnection.updateMany({
        where: { id, organizationId },
        data: changes,
      });
      if (r.count !== 1) return null;
    } catch (e) {
      rethrowDuplicate(e, changes.name);
    }
    return this.get(organizationId, id);
  }

  async delete(organizationId: string, id: string): Promise<boolean> {
    const r = await this.db.clusterConnection.deleteMany({ where: { id, organizationId } });
    return r.count === 1;
  }

  /**
   * Mark a scan as requested unless one was requested after `busySince` and has not finished
   * (queued or running). False: a scan is already in progress, or the connection is gone.
   */
  async requestScan(
    organizationId: string,
    id: string,
    busySince: Date,
    now = new Date(),
  ): Promise<boolean> {
    const r = await this.db.clusterConnection.updateMany({
      where: {
        id,
        organizationId,
        // Spelled out: SQL's NULL would make a plain NOT (...) skip never-scanned rows.
        OR: [
          { lastStatus: null },
          { lastStatus: { notIn: ['queued', 'running'] } },
          { scanRequestedAt: null },
          { scanRequestedAt: { lte: busySince } },
        ],
      },
      data: { lastStatus: 'queued', scanRequestedAt: now },
    });
    return r.count === 1;
  }

  async setStatus(
    organizationId: string,
    id: string,
    status: ScanStatus,
    error: string | null = null,
  ): Promise<void> {
    await this.db.clusterConnection.updateMany({
      where: { id, organizationId },
      data: { lastStatus: status, lastError: error === null ? null : error.slice(0, 2000) },
    });
  }

  async recordSuccess(
    organizationId: string,
    id: string,
    result: { scanId: string; clusterId: string },
    now = new Date(),
  ): Promise<void> {
    await this.db.clusterConnection.updateMany({
      where: { id, organizationId },
      data: {
        lastStatus: 'succeeded',
        lastError: null,
        lastScanId: result.scanId,
        lastScanAt: now,
        clusterId: result.clusterId,
      },
    });
  }

  /** Replace the ciphertexts (re-encryption under the current key); the values are the same. */
  async reseal(
    organizationId: string,
    id: string,
    sealed: {
      tokenCiphertext: Uint8Array<ArrayBuffer>;
      caDataCiphertext: Uint8Array<ArrayBuffer> | null;
    },
  ): Promise<void> {
    await this.db.clusterConnection.updateMany({ where: { id, organizationId }, data: sealed });
  }

  /**
   * Every enabled connection with a schedule, across organisations. Like the scanner-token
   * lookup this cannot take an organisation id: it is used once at start to bring the queue's
   * schedules in line with the table (ids and intervals only, never credentials).
   */
  listScheduled(limit = 10_000): Promise<ScheduledConnection[]> {
    return this.db.clusterConnection
      .findMany({
        where: { enabled: true, scheduleMinutes: { not: null } },
        select: { id: true, organizationId: true, scheduleMinutes: true },
        orderBy: { createdAt: 'asc' },
        take: limit,
      })
      .then((rows) =>
        rows.map((r) => ({
          id: r.id,
          organizationId: r.organizationId,
          scheduleMinutes: r.scheduleMinutes!,
        })),
      );
  }
}
