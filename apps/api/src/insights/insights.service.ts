import { Inject, Injectable } from '@nestjs/common';
import type {
  CostResponse,
  ExportFormat,
  PutCostAssumptionsRequest,
  PutSelfAssessmentRequest,
  SelfAssessmentResponse,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { ReadModelError, ReadModels, type JobQueue } from '@plumbline/jobs';
import type { Logger } from 'pino';
import { DomainError } from '../common/domain-error.js';
import { DATABASE, JOB_QUEUE, LOGGER } from '../common/tokens.js';
import { API_VERSION } from '../version.js';

export interface Actor {
  organizationId: string;
  userId: string;
  ip?: string | undefined;
  requestId?: string | undefined;
}

/** Read-model refusals become the API's one domain error. */
async function mapped<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ReadModelError) throw new DomainError(e.code, e.message);
    throw e;
  }
}

/**
 * The read API's service: reads come from the shared read models (packages/jobs, also used by
 * the report renderer, so the PDF and the API show the same numbers; parsed views are cached per
 * process by what they were computed from); writes (self-assessment, assumptions) are stored,
 * audited and followed by a synchronous roll-up so the response already shows their effect.
 */
@Injectable()
export class InsightsService {
  readonly read: ReadModels;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.read = new ReadModels(db);
  }

  overview(organizationId: string) {
    return mapped(this.read.overview(organizationId));
  }
  clusterDetail(organizationId: string, clusterId: string) {
    return mapped(this.read.clusterDetail(organizationId, clusterId));
  }
  history(organizationId: string, clusterId: string, limit: number, cursor?: string) {
    return mapped(this.read.history(organizationId, clusterId, limit, cursor));
  }
  diff(organizationId: string, clusterId: string, from?: string, to?: string) {
    return mapped(this.read.diff(organizationId, clusterId, from, to));
  }
  agents(organizationId: string) {
    return mapped(this.read.agents(organizationId));
  }
  actions(organizationId: string) {
    return mapped(this.read.actions(organizationId));
  }
  selfAssessment(organizationId: string) {
    return mapped(this.read.selfAssessment(organizationId));
  }
  selfAssessmentHistory(organizationId: string, limit: number, cursor?: string) {
    return mapped(this.read.selfAssessmentHistory(organizationId, limit, cursor));
  }
  cost(organizationId: string) {
    return mapped(this.read.cost(organizationId));
  }

  async saveSelfAssessment(
    actor: Actor,
    body: PutSelfAssessmentRequest,
  ): Promise<SelfAssessmentResponse> {
    const row = await this.db.selfAssessments.create(
      actor.organizationId,
      body.answers,
      actor.userId,
    );
    await this.audit(actor, 'self_assessment.submit', 'self_assessment', row.id, {
      answers: body.answers,
    });
    await this.read.recompute(actor.organizationId, 'self-assessment answered');
    return this.selfAssessment(actor.organizationId);
  }

  /** Save new overrides (a new version), recompute the fleet tax now, re-run cluster costs. */
  async saveAssumptions(actor: Actor, body: PutCostAssumptionsRequest): Promise<CostResponse> {
    const before = await this.db.rollups.currentAssumptions(actor.organizationId);
    const version = await this.db.rollups.saveAssumptions(
      actor.organizationId,
      body.overrides,
      actor.userId,
    );
    const prev = (before.values ?? {}) as Record<string, unknown>;
    const next = body.overrides as Record<string, unknown>;
    const changed = [...new Set([...Object.keys(prev), ...Object.keys(next)])]
      .filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k]))
      .sort();
    await this.audit(actor, 'cost.assumptions_update', 'cost_assumptions', String(version), {
      version,
      changed,
    });
    const { rollup } = await this.read.recompute(actor.organizationId, 'cost assumptions changed');
    // Cluster-level costs were computed with the old assumptions: re-run the latest scans.
    const scanIds = rollup.clusters.map((c) => c.scanId);
    if (scanIds.length) {
      try {
        await this.queue.enqueue(
          'snapshot.reanalyze',
          { organizationId: actor.organizationId, scanIds },
          { requestId: actor.requestId },
        );
      } catch (e) {
        this.logger.warn({ err: (e as Error).message }, 'cluster cost re-run not queued');
      }
    }
    return this.cost(actor.organizationId);
  }

  /** Findings of one scan as JSON, CSV, SARIF or a PolicyReport; audited. */
  async export(actor: Actor, scanId: string, format: ExportFormat) {
    const out = await mapped(
      this.read.exportScan(actor.organizationId, scanId, format, API_VERSION),
    );
    await this.audit(actor, 'scan.export', 'scan', scanId, { format });
    return out;
  }

  private audit(
    actor: Actor,
    action: string,
    targetType: string,
    targetId: string,
    metadata?: Record<string, unknown>,
  ) {
    return this.db.audit.record({
      organizationId: actor.organizationId,
      actorType: 'user',
      actorId: actor.userId,
      action,
      targetType,
      targetId,
      metadata,
      ip: actor.ip,
      requestId: actor.requestId,
    });
  }
}
