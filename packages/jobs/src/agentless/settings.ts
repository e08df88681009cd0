import { egressPolicy, type EgressPolicy, type Resolver } from './egress.js';
import { Keyring, type SealingKey } from './sealing.js';

/** The configuration values agentless scans read (ApiEnv and WorkerEnv both carry them). */
export interface AgentlessEnv {
  PLUMBLINE_ENCRYPTION_KEY?: readonly SealingKey[] | undefined;
  AGENTLESS_ALLOWED_CIDRS: readonly string[];
  AGENTLESS_CONNECT_TIMEOUT_MS: number;
  AGENTLESS_REQUEST_TIMEOUT_MS: number;
  AGENTLESS_SCAN_TIMEOUT_MS: number;
  AGENTLESS_MAX_RESPONSE_MB: number;
  SNAPSHOT_MAX_DECOMPRESSED_MB: number;
}

export interface AgentlessLimits {
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  scanTimeoutMs: number;
  maxResponseBytes: number;
  maxSnapshotBytes: number;
}

export interface AgentlessSettings {
  /** Null: no PLUMBLINE_ENCRYPTION_KEY; registrations and scans are refused. */
  keyring: Keyring | null;
  egress: EgressPolicy;
  limits: AgentlessLimits;
  /** Recorded in the snapshot's `scanner`. */
  scanner: { name: string; version: string };
  /** DNS (tests inject one). */
  resolve?: Resolver;
}

export const AGENTLESS_SCANNER_NAME = 'plumbline-agentless';

export function agentlessSettings(env: AgentlessEnv, version: string): AgentlessSettings {
  const keys = env.PLUMBLINE_ENCRYPTION_KEY;
  return {
    keyring: keys?.length ? new Keyring(keys) : null,
    egress: egressPolicy(env.AGENTLESS_ALLOWED_CIDRS),
    limits: {
      connectTimeoutMs: env.AGENTLESS_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: env.AGENTLESS_REQUEST_TIMEOUT_MS,
      scanTimeoutMs: env.AGENTLESS_SCAN_TIMEOUT_MS,
      maxResponseBytes: env.AGENTLESS_MAX_RESPONSE_MB * 1024 * 1024,
      maxSnapshotBytes: env.SNAPSHOT_MAX_DECOMPRESSED_MB * 1024 * 1024,
    },
    scanner: { name: AGENTLESS_SCANNER_NAME, version },
  };
}

export const NO_KEY_MESSAGE =
  'agentless scans are not configured on this server: PLUMBLINE_ENCRYPTION_KEY is not set (see docs/operations.md)';

/** Remove a secret from a message (errors are stored and shown; secrets never are). */
export function withoutSecrets(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out;
}
