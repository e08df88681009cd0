import {
  EVIDENCE_KINDS,
  EVIDENCE_LIMITS,
  isEvidenceKind,
  parseEvidenceText,
  type EvidenceKind,
  type EvidenceUpload,
} from '@plumbline/contracts';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * `scan --analyze --evidence [KIND=]FILE ... --assessment answers.json`: read and validate the
 * accountability evidence uploads (contract: packages/contracts/src/evidence.ts). JSON, or JSON
 * Lines for decision logs; the kind is detected unless given as KIND=FILE. Problems name the file
 * and the field, never a value from it.
 */

export type EvidenceRead =
  | { ok: true; value: EvidenceUpload[] }
  | { ok: false; reason: 'usage' | 'input'; message: string; problems?: string[] };

function splitSpec(spec: string): { kind?: EvidenceKind; file: string } | { error: string } {
  const eq = spec.indexOf('=');
  if (eq > 0) {
    const prefix = spec.slice(0, eq);
    if (isEvidenceKind(prefix)) return { kind: prefix, file: spec.slice(eq + 1) };
    if (/^[a-z0-9-]+$/.test(prefix) && !exists(spec))
      return {
        error: `--evidence ${spec}: unknown kind "${prefix}" (one of ${EVIDENCE_KINDS.join(', ')})`,
      };
  }
  return { file: spec };
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

function readOne(flag: string, file: string, kind: EvidenceKind | undefined): EvidenceRead {
  let text: string;
  try {
    const size = statSync(file).size;
    if (size > EVIDENCE_LIMITS.bytes)
      return {
        ok: false,
        reason: 'usage',
        message: `${flag} ${file} is invalid`,
        problems: [`larger than ${EVIDENCE_LIMITS.bytes} bytes`],
      };
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return {
      ok: false,
      reason: 'input',
      message: `cannot read ${flag} ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
    };
  }
  const r = parseEvidenceText(text, basename(file), kind);
  if (r.ok) return { ok: true, value: [r.evidence] };
  return {
    ok: false,
    reason: 'usage',
    message: `${flag} ${file} is invalid${kind ? ` ${kind}` : ''} evidence`,
    problems: r.issues.map((i) => `${i.path}: ${i.message}`),
  };
}

export function readEvidenceFiles(
  specs: readonly string[],
  assessment: string | undefined,
): EvidenceRead {
  const out: EvidenceUpload[] = [];
  for (const spec of specs) {
    const s = splitSpec(spec);
    if ('error' in s) return { ok: false, reason: 'usage', message: s.error };
    const r = readOne('--evidence', s.file, s.kind);
    if (!r.ok) return r;
    out.push(...r.value);
  }
  if (assessment) {
    const r = readOne('--assessment', assessment, 'self-assessment');
    if (!r.ok) return r;
    out.push(...r.value);
  }
  return { ok: true, value: out };
}
