import type { RiskAcceptance } from '@plumbline/contracts';

/** A stored risk acceptance as the API and the report show it, with its state at `now`. */
export function riskAcceptanceView(
  r: {
    id: string;
    clusterId: string | null;
    cluster: { name: string } | null;
    kind: string;
    targetId: string;
    title: string;
    owner: string;
    reason: string;
    expiresAt: Date;
    createdById: string | null;
    createdAt: Date;
    revokedAt: Date | null;
    revokedById: string | null;
  },
  now: Date,
): RiskAcceptance {
  return {
    id: r.id,
    clusterId: r.clusterId,
    clusterName: r.cluster?.name ?? null,
    kind: r.kind === 'finding' ? 'finding' : 'criterion',
    targetId: r.targetId,
    title: r.title,
    owner: r.owner,
    reason: r.reason,
    expiresAt: r.expiresAt.toISOString(),
    state: r.revokedAt ? 'revoked' : r.expiresAt <= now ? 'expired' : 'active',
    createdById: r.createdById,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    revokedById: r.revokedById,
  };
}
