import { Inject, Injectable } from '@nestjs/common';
import { parseEvidenceText, type EvidenceKind } from '@plumbline/contracts';
import { parseVmInventoryCsv } from '@plumbline/cost';
import type { Database } from '@plumbline/db';
import type { JobQueue } from '@plumbline/jobs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import { AuditService, type Actor } from '../common/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { DATABASE, JOB_QUEUE, LOGGER } from '../common/tokens.js';
import { InsightsService } from '../insights/insights.service.js';

export interface EvidenceUploadInput {
  filename: string;
  kind?: EvidenceKind | 'vm-inventory' | undefined;
  content: string;
}

/** Largest number of scans one snapshot.reanalyze job carries (its contract's bound). */
const REANALYZE_BATCH = 1000;

/**
 * Evidence uploads: validated by their contract before anything is stored, audited, and
 * followed by a re-analysis of each cluster's newest scan (the stored analysis is computed with
 * the organisation's evidence, so the cluster page, findings, exports and the agents screen
 * agree), which then rolls the organisation up.
 */
@Injectable()
export class EvidenceService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly audit: AuditService,
    private readonly insights: InsightsService,
  ) {}

  list(organizationId: string) {
    return this.db.evidence.list(organizationId);
  }

  async upload(actor: Actor, data: EvidenceUploadInput) {
    let kind: string;
    let summary: unknown;
    if (data.kind === 'vm-inventory') {
      const csv = parseVmInventoryCsv(data.content);
      if (!csv.rows.length) {
        throw new DomainError(
          'validation_failed',
          'the VM inventory has no valid rows',
          csv.errors.map((e) => `line ${e.line}: ${e.message}`),
        );
      }
      kind = 'vm-inventory';
      summary = { vms: csv.rows.length, errors: csv.errors };
    } else {
      const parsed = parseEvidenceText(data.content, data.filename, data.kind);
      if (!parsed.ok) {
        throw new DomainError(
          'validation_failed',
          'evidence does not match its contract',
          parsed.issues.map((i) => `${i.path}: ${i.message}`),
        );
      }
      kind = parsed.evidence.kind;
      summary = { kind };
    }
    const text = Buffer.from(data.content, 'utf8');
    const record = await this.db.evidence.create(actor.organizationId, {
      kind,
      filename: data.filename,
      contentHash: createHash('sha256').update(text).digest('hex'),
      content: new Uint8Array(gzipSync(text)),
      summary,
      uploadedById: actor.userId,
    });
    await this.audit.record(actor, 'evidence.upload', 'evidence', record.id, {
      kind,
      filename: data.filename,
    });
    await this.evidenceChanged(actor, `evidence uploaded (${kind})`);
    return record;
  }

  /** Delete one upload (admins): audited; the analyses and the roll-up follow without it. */
  async delete(actor: Actor, evidenceId: string): Promise<void> {
    const row = await this.db.evidence.delete(actor.organizationId, evidenceId);
    if (!row) throw new DomainError('not_found', 'evidence upload not found');
    await this.audit.record(actor, 'evidence.delete', 'evidence', row.id, {
      kind: row.kind,
      filename: row.filename,
    });
    await this.evidenceChanged(actor, `evidence deleted (${row.kind})`);
  }

  /** Re-analyse each cluster's newest scan with the new evidence (its job then rolls up). */
  private async evidenceChanged(actor: Actor, reason: string): Promise<void> {
    const scanIds = (await this.db.rollups.latestScanStamps(actor.organizationId)).map(
      (s) => s.scanId,
    );
    if (!scanIds.length) {
      await this.insights.requestRollup(actor, reason);
      return;
    }
    // Recorded first: if the queue loses (or never takes) the jobs below, the worker's
    // reconciler queues each re-analysis again (packages/jobs reconcile.ts).
    await this.db.scans.requestReanalysis(actor.organizationId, scanIds);
    try {
      for (let i = 0; i < scanIds.length; i += REANALYZE_BATCH) {
        await this.queue.enqueue(
          'snapshot.reanalyze',
          { organizationId: actor.organizationId, scanIds: scanIds.slice(i, i + REANALYZE_BATCH) },
          { requestId: actor.requestId },
        );
      }
    } catch (e) {
      this.logger.warn(
        { err: (e as Error).message },
        're-analysis after an evidence change not queued',
      );
    }
  }
}
