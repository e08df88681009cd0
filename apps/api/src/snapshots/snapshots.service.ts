import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import type { SnapshotLimits } from '@plumbline/contracts';
import type { AuthenticatedScanner, Database } from '@plumbline/db';
import {
  analyzeJobId,
  SnapshotDecodePool,
  storePrepared,
  type JobQueue,
  type PreparedSnapshot,
} from '@plumbline/jobs';
import { DomainError } from '../common/domain-error.js';
import { API_ENV, DATABASE, JOB_QUEUE } from '../common/tokens.js';

export interface UploadResult {
  scanId: string;
  clusterId: string;
  status: string;
  duplicate: boolean;
}

@Injectable()
export class SnapshotsService implements OnApplicationShutdown {
  readonly maxCompressed: number;
  private readonly limits: SnapshotLimits;
  /** Decoding (inflate, JSON.parse, contract) runs in worker threads, off the event loop. */
  private readonly decoder: SnapshotDecodePool;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(API_ENV) env: ApiEnv,
  ) {
    this.maxCompressed = env.SNAPSHOT_MAX_COMPRESSED_MB * 1024 * 1024;
    this.limits = { maxDecompressedBytes: env.SNAPSHOT_MAX_DECOMPRESSED_MB * 1024 * 1024 };
    this.decoder = new SnapshotDecodePool(env.SNAPSHOT_DECODE_THREADS);
  }

  /**
   * After the HTTP server has drained (Nest closes it between the destroy and the shutdown
   * hooks): an upload still in flight at SIGTERM needs its decoder to finish.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.decoder.close();
  }

  async authenticate(authorization: string | undefined): Promise<AuthenticatedScanner> {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1])
      throw new DomainError(
        'unauthenticated',
        'missing scanner token (Authorization: Bearer <token>)',
      );
    const scanner = await this.db.scannerTokens.authenticate(match[1]);
    if (!scanner)
      throw new DomainError('unauthenticated', 'scanner token is invalid, revoked or expired');
    return scanner;
  }

  /**
   * Validate, store and queue one snapshot. Decoding happens once, in a worker thread; the
   * Cluster, Scan and blob rows are written in one transaction, only when every check passed.
   * The stored scan is the source of truth: when the queue is down the answer is 503 and the
   * scanner's retry (same bytes, a duplicate) or the worker's reconciler queues it later.
   */
  async upload(
    scanner: AuthenticatedScanner,
    body: Buffer,
    requestId: string | undefined,
  ): Promise<UploadResult> {
    const outcome = await this.decoder.prepare(body, this.limits);
    if (!outcome.ok) throw new DomainError(outcome.code, outcome.message, outcome.details);
    const prepared = outcome.prepared;
    await this.checkBinding(scanner, prepared);
    const stored = await storePrepared(this.db, scanner.organizationId, prepared);
    const job = {
      name: 'snapshot.analyze' as const,
      payload: { organizationId: scanner.organizationId, scanId: stored.scan.id },
      options: { requestId, jobId: analyzeJobId(stored.scan.id) },
    };
    if (stored.created) {
      await this.db.audit.record({
        organizationId: scanner.organizationId,
        actorType: 'scanner_token',
        actorId: scanner.tokenId,
        action: 'snapshot.upload',
        targetType: 'scan',
        targetId: stored.scan.id,
        metadata: { cluster: stored.clusterName, bytes: stored.rawBytes },
        requestId,
      });
      await this.queue.enqueue(job.name, job.payload, job.options);
    } else if (stored.scan.status === 'queued' || stored.scan.status === 'running') {
      // A re-upload of a scan still waiting: make sure its job exists (Redis may have lost it).
      await this.queue.ensureEnqueued(job.name, job.payload, job.options);
    }
    return {
      scanId: stored.scan.id,
      clusterId: stored.cluster.id,
      status: stored.scan.status,
      duplicate: !stored.created,
    };
  }

  /** A token bound to a cluster uploads that cluster's snapshots only. */
  private async checkBinding(
    scanner: AuthenticatedScanner,
    prepared: PreparedSnapshot,
  ): Promise<void> {
    if (!scanner.clusterId) return;
    const bound = await this.db.clusters.get(scanner.organizationId, scanner.clusterId);
    if (bound && bound.externalId === prepared.clusterExternalId) return;
    const name = bound ? `"${bound.name}" (id ${bound.externalId})` : 'a cluster that was deleted';
    throw new DomainError(
      'forbidden',
      `this scanner token is bound to cluster ${name}; it cannot upload cluster "${prepared.clusterName}" (id ${prepared.clusterExternalId})`,
    );
  }
}
