import type {
  AccountabilityPillar,
  AssumptionRange,
  AlertRuleKind,
  ComponentCategory,
  PaperSize,
  PolicyDialect,
  RiskAcceptance,
  RiskState,
  RiskTargetKind,
  RoadmapPhaseView,
  SsoConfigRequest,
  SsoErrorCode,
} from '@plumbline/contracts';
import { formatDate } from './format';

/**
 * The words, enums and bounds shown to people, shared by the app's screens and the PDF report
 * page, so the two cannot drift apart. Types only from the contracts: the contracts' schemas
 * (zod) never reach the browser bundle; `vocabulary.test.ts` compares these copies with the
 * contracts.
 */

/** Paper sizes a report can be printed on. */
export const PAPER_SIZES = ['A4', 'Letter'] as const satisfies readonly PaperSize[];

/** The AI-agent accountability pillars in words (plan targets; the agents screen's own names). */
export const ACCOUNTABILITY_PILLAR_WORDS: Record<AccountabilityPillar, string> = {
  traceability: 'Traceability',
  'authorization-provenance': 'Authorization provenance',
  'identity-ownership': 'Identity & ownership',
  'policy-at-scale': 'Policy at scale',
  'human-oversight': 'Human oversight',
};
export const ACCOUNTABILITY_PILLAR_IDS = Object.keys(
  ACCOUNTABILITY_PILLAR_WORDS,
) as AccountabilityPillar[];

/** Languages a plan can write its network policies in, in words. */
export const POLICY_DIALECT_WORDS: Record<PolicyDialect, string> = {
  kubernetes: 'Kubernetes NetworkPolicy (any enforcing CNI)',
  calico: 'Calico NetworkPolicy (where Calico enforces)',
  cilium: 'CiliumNetworkPolicy (where Cilium enforces)',
};
export const POLICY_DIALECTS = Object.keys(POLICY_DIALECT_WORDS) as PolicyDialect[];

/** Detected-stack layers in words. */
export const CATEGORY_WORDS: Record<ComponentCategory, string> = {
  cni: 'Pod network (CNI)',
  'service-mesh': 'Service mesh',
  observability: 'Observability',
  'threat-detection': 'Threat detection',
  'policy-compliance': 'Policy and compliance',
  'ingress-gateway': 'Ingress and gateways',
  'load-balancer': 'Load balancing',
  egress: 'Egress',
  'multi-cluster': 'Multi-cluster',
  gitops: 'GitOps',
  identity: 'Identity and certificates',
  virtualization: 'Virtualisation',
  'ai-serving': 'AI model serving',
  'ai-agents': 'AI agent platforms',
};

/** A layer's name; an unknown category (a newer API) is shown as it is. */
export function categoryWords(category: string): string {
  return (CATEGORY_WORDS as Record<string, string>)[category] ?? category;
}

/** A phase of a plan's 30/60/90-day roadmap, as the roadmap screen and the PDF report name it. */
export function phaseWords(byDay: RoadmapPhaseView['byDay']): string {
  return byDay === null ? 'After 90 days' : `By day ${byDay}`;
}

/** Hours as people say them: "29.5 hours", "1 hour". */
export function hoursWords(hours: number): string {
  const n = Number(hours.toFixed(2));
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'hour' : 'hours'}`;
}

// ---------------------------------------------------------------- risk acceptance

/** What an acceptance is about, as the contracts name it. */
export const RISK_TARGET_KINDS = [
  'criterion',
  'finding',
] as const satisfies readonly RiskTargetKind[];

/** An acceptance's states, as the contracts name them. */
export const RISK_STATES = ['active', 'expired', 'revoked'] as const satisfies readonly RiskState[];

export const RISK_STATE_WORDS: Record<RiskState, string> = {
  active: 'Active',
  expired: 'Expired',
  revoked: 'Revoked',
};

/** The bounds the API checks an acceptance against (copies of the contracts'). */
export const RISK_ACCEPTANCE_BOUNDS = {
  ownerMax: 200,
  reasonMin: 10,
  reasonMax: 2000,
  /** The longest an acceptance may run (MAX_RISK_ACCEPTANCE_DAYS). */
  maxDays: 366,
  /** What the form offers first. */
  defaultDays: 90,
} as const;

type RiskWhen = Pick<RiskAcceptance, 'owner' | 'expiresAt'>;

/** "Risk accepted by Platform team until Jun 30, 2026". */
export function riskAcceptedWords(r: RiskWhen): string {
  return `Risk accepted by ${r.owner} until ${formatDate(r.expiresAt)}`;
}

/** "Accepted risk expired on Mar 1, 2026": the risk applies again. */
export function riskExpiredWords(r: Pick<RiskAcceptance, 'expiresAt'>): string {
  return `Accepted risk expired on ${formatDate(r.expiresAt)}`;
}

/** Where an acceptance applies: its cluster, or every cluster. */
export function riskScopeWords(r: Pick<RiskAcceptance, 'clusterId' | 'clusterName'>): string {
  if (r.clusterId === null) return 'every cluster';
  return r.clusterName ?? 'a removed cluster';
}

/**
 * The shortest password the API accepts (PASSWORD_MIN_LENGTH of the contracts, copied so the
 * sign-up screens pull no zod into the initial bundle; a unit test compares them).
 */
export const PASSWORD_MIN_LENGTH = 12;

// ---------------------------------------------------------------- single sign-on

/**
 * What the API answers (403) when a member of an organisation that requires single sign-on
 * signs in with a password (SSO_REQUIRED_MESSAGE of the contracts, copied; a test compares).
 */
export const SSO_REQUIRED_MESSAGE =
  'your organisation signs in with single sign-on: use "Continue with SSO"';

/** Why a single sign-on attempt failed (`/signin?sso_error=<code>`), in words. */
export const SSO_ERROR_WORDS: Record<SsoErrorCode, string> = {
  state_invalid:
    'That single sign-on attempt expired or was already used. Start again with “Continue with SSO”.',
  idp_error:
    'Your identity provider did not sign you in: it refused or cancelled the request. Try again, or ask your administrator.',
  token_invalid:
    'The answer of your identity provider could not be checked, so you were not signed in. Ask an owner of your organisation to check its single sign-on settings.',
  email_unverified:
    'Your identity provider has not confirmed your email address, so you were not signed in. Ask your administrator.',
  domain_not_allowed:
    'The domain of your email address is not one your organisation signs in with. Ask an owner of your organisation to add it.',
  sso_disabled:
    'Single sign-on is turned off for your organisation. Sign in with your password, or ask an owner.',
};

/** The words for an `sso_error` code; an unknown code (a newer API) gets general words. */
export function ssoErrorWords(code: string): string {
  return Object.prototype.hasOwnProperty.call(SSO_ERROR_WORDS, code)
    ? SSO_ERROR_WORDS[code as SsoErrorCode]
    : 'Single sign-on did not work. Try again, or ask your administrator.';
}

/** Roles people who join by single sign-on may get (never owner), highest first. */
export const SSO_DEFAULT_ROLES = [
  'admin',
  'member',
  'viewer',
] as const satisfies readonly SsoConfigRequest['defaultRole'][];

/** The bounds the API checks single sign-on settings against (copies of the contracts'). */
export const SSO_BOUNDS = {
  /** SSO_MAX_DOMAINS. */
  maxDomains: 20,
  domainMax: 253,
  issuerMax: 500,
  clientIdMax: 255,
  clientSecretMax: 1000,
} as const;

/** A lower-case DNS name with at least one dot (the contracts' emailDomainSchema pattern). */
export const EMAIL_DOMAIN_PATTERN =
  /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** What fired an alert, as the delivery log names it. */
export const ALERT_KIND_WORDS: Record<AlertRuleKind, string> = {
  level_drop: 'level drop',
  new_shadow_agent: 'new shadow agent',
  new_mcp_server: 'new MCP server',
  new_exposed_agent: 'new exposed agent',
  critical_finding: 'critical finding',
  scanner_silent: 'silent scanner',
  suppression_expired: 'expired suppression',
  tax_rise: 'integration tax rise',
};

/**
 * Bounds of each cost assumption the editor accepts: the API's (COST_ASSUMPTION_RANGES in
 * @plumbline/contracts, which validates them), copied so that the tax screen loads no schema
 * library; a test keeps the two equal.
 */
export const ASSUMPTION_RANGES = {
  engineers: { min: 0, max: 10_000 },
  loadedSalary: { min: 0, max: 2_000_000 },
  glueShare: { min: 0, max: 1 },
  seamReference: { min: 0, max: 1_000, exclusiveMin: true },
  incidentsPerYear: { min: 0, max: 10_000 },
  extraMttrHours: { min: 0, max: 720 },
  engineersPerIncident: { min: 0, max: 500 },
  customerImpactingFraction: { min: 0, max: 1 },
  downtimeCostPerHour: { min: 0, max: 100_000_000 },
  licencePerTool: { min: 0, max: 100_000_000 },
  licenceByTool: { min: 0, max: 100_000_000 },
  overlapShare: { min: 0, max: 1 },
  hiresPerYear: { min: 0, max: 10_000 },
  rampWeeksPerExtraTool: { min: 0, max: 52 },
  upgradesPerToolPerYear: { min: 0, max: 365 },
  hoursPerClusterPerUpgrade: { min: 0, max: 1_000 },
  coordinationHoursPerUpgrade: { min: 0, max: 10_000 },
  cpuPricePerVcpuHour: { min: 0, max: 10 },
  memoryPricePerGibHour: { min: 0, max: 10 },
  complianceEvidenceHours: { min: 0, max: 100_000 },
  consolidatedTools: { min: 0, max: 50, integer: true },
  consolidatedPlatformLicence: { min: 0, max: 100_000_000 },
  migrationCost: { min: 0, max: 1_000_000_000 },
  vmPlatformFtes: { min: 0, max: 1_000 },
  hypervisorLicencePerVm: { min: 0, max: 1_000_000 },
} as const satisfies Record<string, AssumptionRange>;
