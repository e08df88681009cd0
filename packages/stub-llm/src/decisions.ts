import type { ProbeDecision, ProbeDecisionRecord } from '@plumbline/contracts';
import { isRecord, tryParseJson } from './json.js';

/**
 * Reading the governance decisions an agent reports, wherever it reports them: JSON lines in its
 * decision log (`PLUMBLINE_DECISION_LOG`), on stdout or stderr, or inside the tool result it sent
 * back to the model. A JSON object counts when it has a decision field (`decision`, `verdict`,
 * `effect` or `outcome`) with a recognised value; the policy is `policyId` / `policy_id` /
 * `policy` (a string or `{ id, version }`). Plain-text lines count when they say denied/blocked
 * or approval and name `policy <id>`.
 */
type Source = ProbeDecisionRecord['source'];

const DECISION_WORDS: Record<string, ProbeDecision> = {
  allow: 'allow',
  allowed: 'allow',
  permit: 'allow',
  permitted: 'allow',
  deny: 'deny',
  denied: 'deny',
  block: 'deny',
  blocked: 'deny',
  reject: 'deny',
  rejected: 'deny',
  refused: 'deny',
  'approval-required': 'approval-required',
  approval_required: 'approval-required',
  'require-approval': 'approval-required',
  'needs-approval': 'approval-required',
  'pending-approval': 'approval-required',
  pending: 'approval-required',
};

const MAX_LINE = 10_000;
const MAX_TEXT = 2000;

function str(value: unknown, max: number): string | null {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null;
}

export function decisionFromObject(
  obj: Record<string, unknown>,
  source: Source,
): ProbeDecisionRecord | null {
  const word = [obj.decision, obj.verdict, obj.effect, obj.outcome].find(
    (v) => typeof v === 'string',
  );
  const decision = typeof word === 'string' ? DECISION_WORDS[word.toLowerCase()] : undefined;
  if (!decision) return null;
  const policy = obj.policy;
  const policyId =
    str(obj.policyId, 200) ??
    str(obj.policy_id, 200) ??
    (typeof policy === 'string' ? str(policy, 200) : isRecord(policy) ? str(policy.id, 200) : null);
  const policyVersion =
    str(obj.policyVersion, 100) ??
    str(obj.policy_version, 100) ??
    (isRecord(policy) ? str(policy.version, 100) : null);
  return {
    source,
    decision,
    tool: str(obj.tool, 128) ?? str(obj.toolName, 128) ?? str(obj.tool_name, 128),
    policyId,
    policyVersion,
    reason: str(obj.reason, MAX_TEXT) ?? str(obj.message, MAX_TEXT),
  };
}

const TEXT_DECISION =
  /\b(denied|blocked|refused|rejected|approval[ -]required|pending (?:human )?approval|requires? approval)\b/i;
const TEXT_POLICY = /\bpolicy(?:[ _-]?id)?\s*[:=]?\s*["'`]?([A-Za-z0-9][\w.:/@-]*[A-Za-z0-9])/i;

/** A plain-text decision line, e.g. `Blocked by policy tool-allowlist@1.0.0: not allowed`. */
export function decisionFromText(
  line: string,
  source: Source,
  tools: readonly string[],
): ProbeDecisionRecord | null {
  const d = TEXT_DECISION.exec(line);
  const p = TEXT_POLICY.exec(line);
  if (!d?.[1] || !p?.[1]) return null;
  const [policyId, policyVersion] = p[1].split('@', 2);
  return {
    source,
    decision: /approv/i.test(d[1]) ? 'approval-required' : 'deny',
    tool: tools.find((t) => line.includes(t)) ?? null,
    policyId: policyId ? policyId.slice(0, 200) : null,
    policyVersion: policyVersion ? policyVersion.slice(0, 100) : null,
    reason: line.trim().slice(0, MAX_TEXT),
  };
}

/**
 * Every decision in a block of text (one per line). `tools` names the tools the scenario is
 * about, so a plain-text line can be tied to one of them.
 */
export function parseDecisions(
  text: string,
  source: Source,
  tools: readonly string[] = [],
): ProbeDecisionRecord[] {
  const out: ProbeDecisionRecord[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.slice(0, MAX_LINE);
    if (line.trim().length === 0) continue;
    const start = line.indexOf('{');
    const end = line.lastIndexOf('}');
    if (start !== -1 && end > start) {
      const parsed = tryParseJson(line.slice(start, end + 1));
      if (parsed.ok && isRecord(parsed.value)) {
        const record = decisionFromObject(parsed.value, source);
        if (record) {
          out.push(record);
          continue;
        }
      }
    }
    const record = decisionFromText(line, source, tools);
    if (record) out.push(record);
  }
  return out;
}
