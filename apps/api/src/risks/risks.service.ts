import { Inject, Injectable } from '@nestjs/common';
import {
  MAX_RISK_ACCEPTANCE_DAYS,
  scanSummarySchema,
  type CreateRiskAcceptanceRequest,
  type RiskAcceptance,
  type RiskAcceptanceList,
} from '@plumbline/contracts';
import type { Database } from '@plumbline/db';
import { CAPS, CRITERIA } from '@plumbline/maturity';
import { riskAcceptanceView } from '@plumbline/read-models';
import { AuditService, type Actor } from '../common/audit.service.js';
import { DomainError } from '../common/domain-error.js';
import { DATABASE } from '../common/tokens.js';

const DAY_MS = 86_400_000;

/** A maturity criterion's or cap's title by id (null: not one Plumbline knows). */
export function requirementTitle(id: string): string | null {
  return CRITERIA.find((c) => c.id === id)?.title ?? CAPS.find((c) => c.id === id)?.title ?? null;
}

const view = riskAcceptanceView;

/**
 * Risk acceptance: admins accept the risk of a maturity criterion (or cap) or of a finding, for
 * one cluster or all, with an owner, a reason and an expiry (audited); everyone sees them with
 * their state (active, expired, revoked). Plans leave active ones out of scope.
 */
@Injectable()
export class RisksService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly audit: AuditService,
  ) {}

  private now(): Date {
    return new Date();
  }

  async list(organizationId: string): Promise<RiskAcceptanceList> {
    const now = this.now();
    const [rows, counts] = await Promise.all([
      this.db.riskAcceptances.list(organizationId),
      this.db.riskAcceptances.counts(organizationId, now),
    ]);
    return { items: rows.map((r) => view(r, now)), counts };
  }

  async create(actor: Actor, body: CreateRiskAcceptanceRequest): Promise<RiskAcceptance> {
    const { organizationId } = actor;
    const now = this.now();
    const expiresAt = new Date(body.expiresAt);
    if (expiresAt.getTime() <= now.getTime())
      throw new DomainError('validation_failed', 'expiresAt must be in the future');
    if (expiresAt.getTime() > now.getTime() + MAX_RISK_ACCEPTANCE_DAYS * DAY_MS)
      throw new DomainError(
        'validation_failed',
        `expiresAt must be within ${MAX_RISK_ACCEPTANCE_DAYS} days: an accepted risk is looked at again at least yearly`,
      );
    const clusterId = body.clusterId ?? null;
    const clusters = clusterId
      ? [await this.db.clusters.get(organizationId, clusterId)]
      : await this.db.clusters.list(organizationId);
    if (clusterId && !clusters[0]) throw new DomainError('not_found', 'cluster not found');
    const title = body.kind === 'criterion' ? requirementTitle(body.targetId) : body.targetId;
    if (title === null)
      throw new DomainError(
        'validation_failed',
        `unknown criterion "${body.targetId}": a maturity criterion or cap id, as the cluster screen shows them`,
      );
    if (
      body.kind === 'finding' &&
      !(await this.findingExists(organizationId, clusters, body.targetId))
    )
      throw new DomainError(
        'validation_failed',
        `no finding "${body.targetId}" in the newest scan of ${clusterId ? 'this cluster' : 'any cluster'}`,
      );
    const row = await this.db.riskAcceptances.create(organizationId, {
      clusterId,
      kind: body.kind,
      targetId: body.targetId,
      title,
      owner: body.owner,
      reason: body.reason,
      expiresAt,
      createdById: actor.userId,
    });
    await this.audit.record(actor, 'risk.accept', 'risk_acceptance', row.id, {
      clusterId,
      kind: body.kind,
      targetId: body.targetId,
      owner: body.owner,
      expiresAt: expiresAt.toISOString(),
    });
    return view(row, now);
  }

  async revoke(actor: Actor, id: string): Promise<RiskAcceptance> {
    const row = await this.db.riskAcceptances.get(actor.organizationId, id);
    if (!row) throw new DomainError('not_found', 'risk acceptance not found');
    if (row.revokedAt) throw new DomainError('conflict', 'the risk acceptance is already revoked');
    await this.db.riskAcceptances.revoke(actor.organizationId, id, actor.userId, this.now());
    await this.audit.record(actor, 'risk.revoke', 'risk_acceptance', id, {
      kind: row.kind,
      targetId: row.targetId,
    });
    return view((await this.db.riskAcceptances.get(actor.organizationId, id))!, this.now());
  }

  private async findingExists(
    organizationId: string,
    clusters: readonly ({ id: string } | null)[],
    findingId: string,
  ): Promise<boolean> {
    for (const c of clusters) {
      if (!c) continue;
      const basis = await this.db.plans.basis(organizationId, c.id);
      const summary = scanSummarySchema.safeParse(basis?.summary);
      if (summary.success && findingId in summary.data.findings) return true;
    }
    return false;
  }
}
