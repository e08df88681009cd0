import { parseClusterSnapshot, type ContractIssue } from '@plumbline/contracts';
import { gunzipSync } from 'node:zlib';

export type ValidateOutcome =
  { ok: true; cluster: string; schemaVersion: number } | { ok: false; problems: ContractIssue[] };

/** Check a snapshot file's bytes (.json or .json.gz) against the snapshot contract. */
export function validateSnapshotBytes(bytes: Buffer): ValidateOutcome {
  let text: string;
  try {
    const gz = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    text = (gz ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (e) {
    return {
      ok: false,
      problems: [{ path: '(file)', message: `not valid gzip: ${(e as Error).message}` }],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return {
      ok: false,
      problems: [{ path: '(file)', message: `not valid JSON: ${(e as Error).message}` }],
    };
  }
  const r = parseClusterSnapshot(json);
  if (!r.ok) return { ok: false, problems: r.issues };
  return { ok: true, cluster: r.snapshot.cluster.name, schemaVersion: r.snapshot.schemaVersion };
}
