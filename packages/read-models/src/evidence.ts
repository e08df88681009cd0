import type { Answers, EvidenceContext, SkippedEvidence } from '@plumbline/analysis';
import {
  parseEvidenceText,
  type EvidenceKind,
  type EvidenceUpload,
  type ProbeRun,
} from '@plumbline/contracts';
import { parseVmInventoryCsv, type VmInventoryRow } from '@plumbline/cost';
import type { Database } from '@plumbline/db';
import { gunzipSync } from 'node:zlib';

/** Largest decompressed evidence upload read back (uploads are bounded far below this). */
const MAX_EVIDENCE_BYTES = 64 * 1024 * 1024;

export interface LoadedEvidence {
  /** Validated uploads for the per-scan analysis (the agents step), oldest first. */
  uploads: EvidenceUpload[];
  /** What the uploads add to the organisation roll-up (probes, VM inventory, answers). */
  context: EvidenceContext;
}

/**
 * The organisation's evidence uploads, each re-validated by its contract (a stored upload is
 * never trusted). One upload that cannot be read or no longer validates is left out and named
 * (`context.skipped`), so it can never block the organisation's analysis or roll-up.
 */
export async function loadEvidence(db: Database, organizationId: string): Promise<LoadedEvidence> {
  const uploads: EvidenceUpload[] = [];
  const vmRows: VmInventoryRow[] = [];
  const probes: ProbeRun[] = [];
  const skipped: SkippedEvidence[] = [];
  let uploadedAnswers: Answers | null = null;
  let vmFiles = 0;
  for (const e of await db.evidence.withContent(organizationId)) {
    const skip = (reason: string) => skipped.push({ id: e.id, filename: e.filename, reason });
    let text: string;
    try {
      text = gunzipSync(e.content, { maxOutputLength: MAX_EVIDENCE_BYTES }).toString('utf8');
    } catch (err) {
      skip(`unreadable: ${(err as Error).message}`);
      continue;
    }
    try {
      if (e.kind === 'vm-inventory') {
        const parsed = parseVmInventoryCsv(text);
        if (!parsed.rows.length) {
          skip('no VM rows could be read');
          continue;
        }
        vmRows.push(...parsed.rows);
        vmFiles++;
        continue;
      }
      const parsed = parseEvidenceText(text, e.filename, e.kind as EvidenceKind);
      if (!parsed.ok) {
        skip('no longer matches its contract');
        continue;
      }
      const ev = parsed.evidence;
      uploads.push(ev);
      if (ev.kind === 'self-assessment') uploadedAnswers = ev.data.answers;
      if (ev.kind === 'probe-report') {
        probes.push({
          evidenceId: e.id,
          filename: e.filename,
          uploadedAt: e.createdAt.toISOString(),
          passed: ev.data.summary.passed,
          failed: ev.data.summary.failed,
          inconclusive: ev.data.summary.inconclusive,
          scenarios: ev.data.scenarios.map((s) => ({
            id: s.id,
            title: s.title,
            asi: s.asi,
            pillar: s.pillar,
            mustBlock: s.mustBlock,
            actualOutcome: s.actualOutcome,
            attributable: s.attributable,
            result: s.result,
            reasons: [...s.reasons],
          })),
        });
      }
    } catch (err) {
      skip(`could not be read: ${(err as Error).message}`);
    }
  }
  return {
    uploads,
    context: {
      probes,
      vmRows,
      uploadedAnswers,
      uploads: uploads.length + (vmFiles ? 1 : 0),
      skipped,
    },
  };
}
