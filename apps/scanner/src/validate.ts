import {
  decodeSnapshot,
  DEFAULT_SNAPSHOT_LIMITS,
  type ContractIssue,
  type SnapshotLimits,
} from '@plumbline/contracts';

export type ValidateOutcome =
  { ok: true; cluster: string; schemaVersion: number } | { ok: false; problems: ContractIssue[] };

/**
 * Check a snapshot file's bytes (.json or .json.gz) against the snapshot contract, with the
 * decoder and limits the API applies to an upload (`decodeSnapshot`).
 */
export function validateSnapshotBytes(
  bytes: Buffer,
  limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
): ValidateOutcome {
  const d = decodeSnapshot(bytes, limits);
  if (d.ok)
    return { ok: true, cluster: d.snapshot.cluster.name, schemaVersion: d.snapshot.schemaVersion };
  if (d.issues) return { ok: false, problems: d.issues };
  const message = d.message.replace(/^body is /, '');
  return { ok: false, problems: [{ path: '(file)', message }] };
}
