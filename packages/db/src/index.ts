export { Database } from './database.js';
export { ChangeFeed, ORG_CHANGED_CHANNEL } from './changes.js';
export type { ChangeFeedLogger } from './changes.js';
export { isDatabaseUnavailable } from './unavailable.js';
export type { DatabaseOptions } from './client.js';
export {
  generateScannerToken,
  hashPassword,
  hashScannerToken,
  SCANNER_TOKEN_PREFIX,
  verifyPassword,
} from './credentials.js';
export {
  applyMigrations,
  DEFAULT_MIGRATIONS_DIR,
  migrationStatus,
  MigrationError,
  migrationsFingerprint,
  readMigrations,
} from './migrator.js';
export type { Migration, MigrationReport, MigrationStatus } from './migrator.js';
export { DuplicateAlertChannelNameError } from './repositories/alerts.js';
export type {
  AlertChannelChanges,
  AlertRuleInput,
  DeliveryLogRow,
  DeliveryWork,
  NewAlertChannel,
} from './repositories/alerts.js';
export type { AuditInput } from './repositories/audit.js';
export { DuplicateConnectionNameError } from './repositories/cluster-connections.js';
export type {
  ClusterConnectionChanges,
  ClusterConnectionSecrets,
  ClusterConnectionView,
  NewClusterConnection,
  ScheduledConnection,
} from './repositories/cluster-connections.js';
export type { NewEvidence } from './repositories/evidence.js';
export { DELIVERED_BODY_REMOVED } from './repositories/mail.js';
export type { NewOutboxEmail, ResetOutcome, TokenCheck } from './repositories/mail.js';
export {
  generateRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_CODE_COUNT,
} from './repositories/mfa.js';
export type { MfaState, OpenChallenge } from './repositories/mfa.js';
export type { PlanOutcomeRow } from './repositories/plans.js';
export { SsoDomainTakenError } from './repositories/sso.js';
export type {
  NewSsoAttempt,
  SsoAttemptRow,
  SsoConfigInput,
  SsoConfigRow,
  SsoDomainRow,
} from './repositories/sso.js';
export type {
  DeleteOrganizationOutcome,
  OrganizationCounts,
  PurgeCounts,
} from './repositories/lifecycle.js';
export type {
  LatestScanStamp,
  OverviewCluster,
  OverviewRead,
  RollupView,
} from './repositories/rollups.js';
export type { AuthenticatedScanner, ScannerTokenView } from './repositories/scanner-tokens.js';
export type { ClusterEnvironment, NewSnapshot, StoredSnapshot } from './repositories/scans.js';
export { CLUSTER_ENVIRONMENTS } from './repositories/scans.js';
export {
  countOrganizationRows,
  createEmptyTestDatabase,
  createTestDatabase,
  queryTestDatabase,
} from './testing.js';
export type { TestDatabase } from './testing.js';
export type {
  ActorType,
  AnalysisResult as AnalysisResultRow,
  AuditEvent,
  Cluster,
  Organization,
  Role,
  Scan,
  ScanStatus,
  User,
  Invite,
  Session,
  Membership,
  EmailKind as EmailKindRow,
  OutboxEmail,
  AlertChannel,
  AlertDelivery,
  AlertRule,
  ReportSchedule,
} from './generated/prisma/client.js';
export { seedDemo } from './seed/demo.js';
export type { DemoSeedResult } from './seed/demo.js';
