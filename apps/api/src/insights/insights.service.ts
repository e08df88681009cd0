import { Inject, Injectable } from '@nestjs/common';
import type { ApiEnv } from '@plumbline/config';
import type {
  AgentsList,
  AgentsPageQuery,
  CostResponse,
  ExportFormat,
  PutClusterEnvironmentRequest,
  PutCostAssumptionsRequest,
  PutSelfAssessmentRequest,
  SelfAssessmentResponse,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { rollupJobOptions, type JobQueue } from '@plumbline/jobs';
import { ReadModelError, ReadModels } from '@plumbline/read-models';
import type { Logger } from 'pino';
import { AuditService, type Actor } from '../common/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { API_ENV, DATABASE, JOB_QUEUE, LOGGER } from '../common/tokens.js';
import { API_VERSION } from '../version.js';

export type { Actor } from '../common/audit.service.js';

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
 * The read API's service: reads come from the stored read models (packages/read-models, also
 * used by the report renderer, so the PDF and the API show the same numbers). Writes are
 * stored and audited, then a debounced org.rollup is queued (so a roll-up job already running
 * with the old values cannot leave them in place). An assumption edit answers with the fleet
 * priced from the stored digests, and reads price the same way until the queued roll-up stores
 * the new figures (no snapshot is read, nothing is re-analysed, nothing else recomputed). A
 * self-assessment or environment change recomputes the roll-up from digests and stores it at
 * once, so the answer and every following read show the effect.
 */
@Injectable()
export class InsightsService {
  readonly read: ReadModels;

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(API_ENV) private readonly env: Pick<ApiEnv, 'ROLLUP_DEBOUNCE_MS'>,
    private readonly audit: AuditService,
  ) {
    this.read = new ReadModels(db);
  }

  /** Queue the debounced roll-up that stores the new views (a failure to queue is logged). */
  async requestRollup(actor: Pick<Actor, 'organizationId' | 'requestId'>, reason: string) {
    try {
      await this.queue.enqueue(
        'org.rollup',
        { organizationId: actor.organizationId, reason },
        {
          requestId: actor.requestId,
          ...rollupJobOptions(actor.organizationId, this.env.ROLLUP_DEBOUNCE_MS, Date.now()),
        },
      );
    } catch (e) {
      this.logger.warn({ err: (e as Error).message }, 'organisation roll-up not queued');
    }
  }

  /** The overview as its JSON text (reused while nothing it is built from changed). */
  overviewPage(organizationId: string) {
    return mapped(this.read.overviewPage(organizationId));
  }
  /** The cluster page as its JSON text (reused while the cluster and assumptions are unchanged). */
  clusterDetailPage(organizationId: string, clusterId: string) {
    return mapped(this.read.clusterDetailPage(organizationId, clusterId));
  }
  history(organizationId: string, clusterId: string, limit: number, cursor?: string) {
    return mapped(this.read.history(organizationId, clusterId, limit, cursor));
  }
  diff(organizationId: string, clusterId: string, from?: string, to?: string) {
    return mapped(this.read.diff(organizationId, clusterId, from, to));
  }
  /** `GET agents` as its JSON text: the first page of each list (serialised once per roll-up). */
  agentsFirst(organizationId: string) {
    return mapped(this.read.agentsFirst(organizationId));
  }
  /** One page of one list of the same stored agents view. */
  agentsPage(organizationId: string, list: AgentsList, query: AgentsPageQuery) {
    return mapped(this.read.agentsPage(organizationId, list, query));
  }
  /** The actions view as its JSON text (serialised once per roll-up). */
  actionsJson(organizationId: string) {
    return mapped(this.read.viewJson(organizationId, 'actions'));
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
    await this.audit.record(actor, 'self_assessment.submit', 'self_assessment', row.id, {
      answers: body.answers,
    });
    const rollup = await this.read.store.compute(actor.organizationId, 'self-assessment answered', {
      selfAssessment: {
        id: row.id,
        createdAt: row.createdAt.toISOString(),
        answers: body.answers,
      },
    });
    await this.read.store.save(actor.organizationId, rollup);
    await this.requestRollup(actor, 'self-assessment answered');
    return mapped(this.read.selfAssessment(actor.organizationId, rollup.agents));
  }

  /**
   * Set a cluster's environment (or clear it: back to the inference), audited; the roll-up is
   * recomputed now, since the organisation's levels are computed from its production clusters.
   */
  async setClusterEnvironment(actor: Actor, clusterId: string, body: PutClusterEnvironmentRequest) {
    const before = await this.db.clusters.get(actor.organizationId, clusterId);
    if (!before) throw new DomainError('not_found', 'cluster not found');
    const after = await this.db.clusters.setEnvironment(
      actor.organizationId,
      clusterId,
      body.environment,
    );
    if (!after) throw new DomainError('not_found', 'cluster not found');
    await this.audit.record(actor, 'cluster.environment_update', 'cluster', clusterId, {
      from: before.environment,
      to: body.environment,
      production: after.production,
    });
    const rollup = await this.read.store.compute(
      actor.organizationId,
      'cluster environment changed',
    );
    await this.read.store.save(actor.organizationId, rollup);
    const [record] = await this.db.clusters.withFirstSeen(actor.organizationId, [after]);
    return record!;
  }

  /** Save new overrides (a new version) and answer with the fleet repriced from the digests. */
  async saveAssumptions(actor: Actor, body: PutCostAssumptionsRequest): Promise<CostResponse> {
    const save = this.db.rollups.saveAssumptions(
      actor.organizationId,
      body.overrides,
      actor.userId,
    );
    // Only the prices depend on the assumptions, and pricing them does not depend on the save:
    // the fleet is priced from the digests (no snapshot read, nothing else recomputed) while the
    // save runs. The audit entry and the queued roll-up follow the save (the roll-up must read
    // the saved values) and go out while the pricing runs; the answer waits for all three. A
    // failed save fails the request; the pricing started with it is then dropped (caught here so
    // that it is not an unhandled rejection).
    const cost = mapped(
      this.read.costOfSave(actor.organizationId, { values: body.overrides, saved: save }),
    );
    cost.catch(() => undefined);
    const saved = await save;
    const prev = saved.previous as Record<string, unknown>;
    const next = body.overrides as Record<string, unknown>;
    const changed = [...new Set([...Object.keys(prev), ...Object.keys(next)])]
      .filter((k) => JSON.stringify(prev[k]) !== JSON.stringify(next[k]))
      .sort();
    const [response] = await Promise.all([
      cost,
      this.audit.record(
        actor,
        'cost.assumptions_update',
        'cost_assumptions',
        String(saved.version),
        { version: saved.version, changed },
      ),
      this.requestRollup(actor, 'cost assumptions changed'),
    ]);
    return response;
  }

  /** Findings of one scan as JSON, CSV, SARIF or a PolicyReport; audited. */
  async export(actor: Actor, scanId: string, format: ExportFormat) {
    const out = await mapped(
      this.read.exportScan(actor.organizationId, scanId, format, API_VERSION),
    );
    await this.audit.record(actor, 'scan.export', 'scan', scanId, { format });
    return out;
  }
}
