import { ChangeFeed } from './changes.js';
import { createConnection, type DatabaseOptions, type PreparedQueries } from './client.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { AlertRepository } from './repositories/alerts.js';
import { AuditRepository } from './repositories/audit.js';
import { ClusterConnectionRepository } from './repositories/cluster-connections.js';
import {
  MembershipRepository,
  OrganizationRepository,
  UserRepository,
} from './repositories/organizations.js';
import { ScannerTokenRepository } from './repositories/scanner-tokens.js';
import { EvidenceRepository } from './repositories/evidence.js';
import { LifecycleRepository } from './repositories/lifecycle.js';
import { MfaRepository } from './repositories/mfa.js';
import { OutboxRepository, UserTokenRepository } from './repositories/mail.js';
import { RollupRepository } from './repositories/rollups.js';
import { PlanRepository } from './repositories/plans.js';
import { RiskAcceptanceRepository } from './repositories/risks.js';
import { ReportRepository } from './repositories/reports.js';
import { SelfAssessmentRepository } from './repositories/self-assessments.js';
import { InviteRepository, SessionRepository } from './repositories/sessions.js';
import { ClusterRepository, ScanRepository } from './repositories/scans.js';
import { SsoRepository } from './repositories/sso.js';

/** The data layer as the apps see it: repositories, a health ping, and shutdown. */
export class Database {
  readonly organizations: OrganizationRepository;
  readonly users: UserRepository;
  readonly memberships: MembershipRepository;
  readonly scannerTokens: ScannerTokenRepository;
  readonly clusters: ClusterRepository;
  readonly scans: ScanRepository;
  readonly audit: AuditRepository;
  readonly sessions: SessionRepository;
  readonly invites: InviteRepository;
  readonly rollups: RollupRepository;
  readonly evidence: EvidenceRepository;
  readonly lifecycle: LifecycleRepository;
  readonly selfAssessments: SelfAssessmentRepository;
  readonly reports: ReportRepository;
  readonly clusterConnections: ClusterConnectionRepository;
  readonly plans: PlanRepository;
  readonly riskAcceptances: RiskAcceptanceRepository;
  readonly outbox: OutboxRepository;
  readonly userTokens: UserTokenRepository;
  readonly alerts: AlertRepository;
  readonly mfa: MfaRepository;
  readonly sso: SsoRepository;
  /**
   * Which organisations' read data changed (LISTEN/NOTIFY). Idle until `changes.start()`: the
   * API starts it so that its read caches skip the database while nothing changed.
   */
  readonly changes: ChangeFeed;

  private constructor(
    private readonly prisma: PrismaClient,
    private readonly prepared: PreparedQueries,
    databaseUrl: string,
  ) {
    this.changes = new ChangeFeed(databaseUrl);
    this.organizations = new OrganizationRepository(prisma);
    this.users = new UserRepository(prisma);
    this.memberships = new MembershipRepository(prisma);
    this.scannerTokens = new ScannerTokenRepository(prisma);
    this.clusters = new ClusterRepository(prisma, prepared);
    this.scans = new ScanRepository(prisma);
    this.audit = new AuditRepository(prisma, prepared);
    this.sessions = new SessionRepository(prisma);
    this.invites = new InviteRepository(prisma);
    this.rollups = new RollupRepository(prisma, prepared);
    this.evidence = new EvidenceRepository(prisma, prepared);
    this.lifecycle = new LifecycleRepository(prisma);
    this.selfAssessments = new SelfAssessmentRepository(prisma);
    this.reports = new ReportRepository(prisma);
    this.clusterConnections = new ClusterConnectionRepository(prisma);
    this.plans = new PlanRepository(prisma);
    this.riskAcceptances = new RiskAcceptanceRepository(prisma);
    this.outbox = new OutboxRepository(prisma);
    this.userTokens = new UserTokenRepository(prisma);
    this.alerts = new AlertRepository(prisma);
    this.mfa = new MfaRepository(prisma);
    this.sso = new SsoRepository(prisma);
  }

  static connect(databaseUrl: string, options: DatabaseOptions = {}): Database {
    const { prisma, prepared } = createConnection(databaseUrl, options);
    return new Database(prisma, prepared, databaseUrl);
  }

  /** Open every connection of the pool now (servers at boot); throws when one cannot open. */
  async warm(): Promise<void> {
    await this.prepared.warm();
  }

  /** Round-trip to the database; throws when it is unreachable. */
  async ping(): Promise<void> {
    await this.prisma.$queryRaw`SELECT 1`;
  }

  async close(): Promise<void> {
    await this.changes.stop();
    await this.prisma.$disconnect();
  }
}
