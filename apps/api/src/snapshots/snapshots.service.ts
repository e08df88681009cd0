import { Inject, Injectable } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import type { AuthenticatedScanner, Database } from '@plumbline/db';
import { ingestSnapshot, SnapshotRejectedError, type JobQueue } from '@plumbline/jobs';
import { DomainError } from '../common/domain-error.js';
import { API_ENV, DATABASE, JOB_QUEUE } from '../common/tokens.js';

export interface UploadResult {
  scanId: string;
  clusterId: string;
  status: string;
  duplicate: boolean;
}

@Injectable()
export class SnapshotsService {
  readonly maxCompressed: number;
  private readonly maxDecompressed: number;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(API_ENV) env: ApiEnv,
  ) {
    this.maxCompressed = env.SNAPSHOT_MAX_COMPRESSED_MB * 1024 * 1024;
    this.maxDecompressed = env.SNAPSHOT_MAX_DECOMPRESSED_MB * 1024 * 1024;
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

  /** Validate, store and queue one snapshot. Nothing is written unless all checks pass. */
  async upload(
    scanner: AuthenticatedScanner,
    body: Buffer,
    gzipped: boolean,
    requestId: string | undefined,
  ): Promise<UploadResult> {
    let stored;
    try {
      stored = await ingestSnapshot(
        this.db,
        scanner.organizationId,
        { body, gzipped },
        { maxDecompressedBytes: this.maxDecompressed },
      );
    } catch (e) {
      if (e instanceof SnapshotRejectedError) throw new DomainError(e.code, e.message, e.details);
      throw e;
    }
    if (stored.created) {
      await this.queue.enqueue(
        'snapshot.analyze',
        { organizationId: scanner.organizationId, scanId: stored.scan.id },
        { requestId, jobId: `analyze-${stored.scan.id}` },
      );
      await this.db.audit.record({
        organizationId: scanner.organizationId,
        actorType: 'scanner_token',
        actorId: scanner.tokenId,
        action: 'snapshot.upload',
        targetType: 'scan',
        targetId: stored.scan.id,
        metadata: { cluster: stored.snapshot.cluster.name, bytes: stored.rawBytes },
        requestId,
      });
    }
    return {
      scanId: stored.scan.id,
      clusterId: stored.cluster.id,
      status: stored.scan.status,
      duplicate: !stored.created,
    };
  }
}
