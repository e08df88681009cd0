import { Inject, Injectable } from '@nestjs/common';
import { parseClusterSnapshot } from '@plumbline/contracts';
import type { AuthenticatedScanner, Database } from '@plumbline/db';
import type { JobQueue } from '@plumbline/jobs';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DomainError } from '../common/domain-error.js';
import type { ApiEnv } from '@plumbline/config';
import { API_ENV, DATABASE, JOB_QUEUE } from '../common/tokens.js';

const MAX_JSON_DEPTH = 64;

/** Deepest nesting of arrays/objects in JSON text, found in one pass without parsing. */
export function jsonDepth(text: string, stopAt: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      depth++;
      if (depth > max) max = depth;
      if (max > stopAt) return max;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

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
    let raw: Buffer;
    try {
      raw = gzipped ? gunzipSync(body, { maxOutputLength: this.maxDecompressed }) : body;
    } catch (e) {
      const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw tooBig
        ? new DomainError(
            'payload_too_large',
            `decompressed snapshot exceeds ${this.maxDecompressed} bytes`,
          )
        : new DomainError('bad_request', 'body is not valid gzip');
    }
    if (raw.length > this.maxDecompressed) {
      throw new DomainError('payload_too_large', `snapshot exceeds ${this.maxDecompressed} bytes`);
    }
    const text = raw.toString('utf8');
    if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
      throw new DomainError('bad_request', `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new DomainError('bad_request', `body is not valid JSON: ${(e as Error).message}`);
    }
    const parsed = parseClusterSnapshot(json);
    if (!parsed.ok) {
      throw new DomainError(
        'validation_failed',
        'snapshot does not match the contract',
        parsed.issues.map((i) => `${i.path}: ${i.message}`),
      );
    }
    const snap = parsed.snapshot;
    const contentHash = createHash('sha256').update(raw).digest('hex');
    const stored = await this.db.scans.storeSnapshot(scanner.organizationId, {
      clusterExternalId: snap.cluster.id,
      clusterName: snap.cluster.name,
      contentHash,
      schemaVersion: snap.schemaVersion,
      gzip: new Uint8Array(gzipped ? body : gzipSync(raw)),
      rawBytes: raw.length,
    });
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
        metadata: { cluster: snap.cluster.name, bytes: raw.length },
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
