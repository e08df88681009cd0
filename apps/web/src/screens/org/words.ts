import type {
  AgentCredential,
  AgentItemKind,
  AsiCode,
  FleetCluster,
  ModelRoute,
  Severity,
} from '@plumbline/contracts';
import type { FleetStatusKind } from '../../components/FleetTable';

/**
 * The words the data screens use for the API's codes. The contracts hold the same tables as
 * runtime values, but importing a value from `@plumbline/contracts` would pull zod into the
 * browser: the web keeps its own copies, and `words.test.ts` checks them against the contracts.
 */

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export { SEVERITY_WORDS } from '../../components/SeverityBadge';

/** Sort key: critical first. */
export function severityRank(s: Severity): number {
  return SEVERITY_ORDER.indexOf(s);
}

/** OWASP Top 10 for Agentic Applications (ASI) titles. */
export const ASI_TITLES: Record<AsiCode, string> = {
  ASI01: 'Agent Goal Hijack',
  ASI02: 'Tool Misuse and Exploitation',
  ASI03: 'Identity and Privilege Abuse',
  ASI04: 'Agentic Supply Chain Vulnerabilities',
  ASI05: 'Unexpected Code Execution',
  ASI06: 'Memory and Context Poisoning',
  ASI07: 'Insecure Inter-Agent Communication',
  ASI08: 'Cascading Failures',
  ASI09: 'Human-Agent Trust Exploitation',
  ASI10: 'Rogue Agents',
};

/** Accountability levels 0-4 by name (Plumbline's). */
export const ACCOUNTABILITY_LEVEL_WORDS = [
  'Invisible',
  'Inventoried',
  'Attributable',
  'Enforced',
  'Verified',
] as const;

export { CATEGORY_WORDS, categoryWords } from '../../vocabulary';

export const AGENT_KIND_WORDS: Record<AgentItemKind, string> = {
  agent: 'Agent',
  'mcp-server': 'MCP server',
  'model-server': 'Model server',
  gateway: 'Gateway',
};

export const CREDENTIAL_SOURCE_WORDS: Record<AgentCredential['source'], string> = {
  secretKeyRef: 'Secret (env var)',
  'envFrom-secret': 'Secret (envFrom)',
  'secret-reference': 'Secret reference',
  literal: 'In the spec',
  'mcp-config-env': 'MCP config (env)',
  'mcp-config-header': 'MCP config (header)',
};

export const MODEL_ROUTE_WORDS: Record<ModelRoute, string> = {
  gateway: 'through a gateway',
  'in-cluster-model': 'to an in-cluster model',
  'direct-provider': 'straight to a provider',
  'internal-endpoint': 'to an internal endpoint',
  'external-endpoint': 'to an external endpoint',
  unknown: 'unknown',
  none: 'no model calls seen',
};

/** A cluster's newest scan status, in words and a status-pill kind. */
export const FLEET_STATUS: Record<
  FleetCluster['status'],
  { kind: FleetStatusKind; label: string }
> = {
  'never-scanned': { kind: 'pending', label: 'Waiting for a scan' },
  queued: { kind: 'pending', label: 'Queued' },
  running: { kind: 'pending', label: 'Analysing' },
  succeeded: { kind: 'ok', label: 'Analysed' },
  failed: { kind: 'error', label: 'Last scan failed' },
};

/** Scan statuses as the history shows them. */
export function scanStatus(status: string): { kind: FleetStatusKind; label: string } {
  return FLEET_STATUS[status as FleetCluster['status']] ?? { kind: 'warning', label: status };
}

/** "1 cluster", "3 clusters". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
