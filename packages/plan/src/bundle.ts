import {
  ACCOUNTABILITY_PILLARS,
  ACCOUNTABILITY_PILLAR_TITLES,
  MATURITY_PILLARS,
  isAccountabilityPillar,
  type ClusterSnapshot,
  type PlanPillarId,
} from '@plumbline/contracts';
import { stringify } from 'yaml';
import { PILLAR_NAMES, computeFacts } from '@plumbline/maturity';
import { catalogue, type Action } from './actions.js';
import { applyToSnapshot, type BundleObject } from './k8s.js';
import { agentCatalogue, asAction } from './agent-actions.js';
import { planWithActions, type LevelState, type PlanInput, type PlanResult } from './planner.js';
import { verifyBundle, type Verification } from './verify.js';

/**
 * Plan + bundle + verification in one call (what the CLI and, later, the plan job run). The
 * bundle is returned only when it passed its own verification; otherwise `refused` says why.
 */

export interface Bundle {
  objects: BundleObject[];
  /** The snapshot with the objects applied (what verification analysed). */
  patched: ClusterSnapshot;
}

export type PlanOutcome =
  | { status: 'unreachable'; plan: Extract<PlanResult, { reachable: false }> }
  | {
      status: 'ok';
      plan: Extract<PlanResult, { reachable: true }>;
      /** Null when the plan has no generated step (manual steps only, or already met). */
      bundle: Bundle | null;
      verification: Verification | null;
    }
  | {
      status: 'refused';
      plan: Extract<PlanResult, { reachable: true }>;
      verification: Verification;
    };

/** The objects of the plan's generated steps, in canonical order, each built on the ones before. */
export function buildBundle(
  input: PlanInput,
  plan: Extract<PlanResult, { reachable: true }>,
  catalogued?: readonly Action[],
): Bundle {
  const pillar = input.target.pillar;
  const actions =
    catalogued ??
    (pillar && isAccountabilityPillar(pillar)
      ? agentCatalogue(
          input.snapshot,
          input.analysis.steps.agents,
          pillar,
          input.target.level,
          input.effort,
        ).map(asAction)
      : null) ??
    catalogue({
      snapshot: input.snapshot,
      detection: input.analysis.steps.detection,
      netpol: input.analysis.steps.netpol,
      facts: computeFacts(
        input.snapshot,
        input.analysis.steps.detection,
        input.analysis.steps.netpol,
      ),
      effort: input.effort,
      dialect: input.dialect,
    });
  const chosen = new Set(plan.steps.filter((s) => s.kind === 'generated').map((s) => s.id));
  let patched = input.snapshot;
  const objects: BundleObject[] = [];
  for (const a of actions.filter((x) => chosen.has(x.id)).sort((x, y) => x.order - y.order)) {
    const objs = a.generate?.(patched) ?? [];
    patched = applyToSnapshot(patched, objs);
    objects.push(...objs);
  }
  return { objects, patched };
}

export function planAndVerify(input: PlanInput): PlanOutcome {
  const { plan, actions } = planWithActions(input);
  if (!plan.reachable) return { status: 'unreachable', plan };
  if (!plan.steps.some((s) => s.kind === 'generated'))
    return { status: 'ok', plan, bundle: null, verification: null };
  const bundle = buildBundle(input, plan, actions);
  const verification = verifyBundle({
    snapshot: input.snapshot,
    analysis: input.analysis,
    patched: bundle.patched,
    objects: bundle.objects,
    promised: plan.bundlePromise,
    assumptions: input.assumptions,
    beforeEngine: input.netpolEngine,
    ...(plan.agentPromise ? { agentPromise: plan.agentPromise, evidence: input.evidence } : {}),
  });
  if (!verification.ok) return { status: 'refused', plan, verification };
  return { status: 'ok', plan, bundle, verification };
}

const usd = (cents: number) => `$${Math.round(cents / 100).toLocaleString('en-US')}`;
const levels = (l: Record<string, number>) =>
  MATURITY_PILLARS.map((p) => `${PILLAR_NAMES[p]} ${l[p]}`).join(', ');
const agentLevelWords = (l: Record<string, number>) =>
  ACCOUNTABILITY_PILLARS.map((p) => `${ACCOUNTABILITY_PILLAR_TITLES[p]} ${l[p]}`).join(', ');
const pillarName = (p: PlanPillarId) =>
  isAccountabilityPillar(p) ? ACCOUNTABILITY_PILLAR_TITLES[p] : PILLAR_NAMES[p];
const pillarLevel = (st: LevelState, p: PlanPillarId) =>
  isAccountabilityPillar(p) ? (st.agents?.[p] ?? 0) : st.pillars[p];

/** The bundle README: the plan, the roadmap and the verification, in words. */
export function renderPlanMarkdown(outcome: Extract<PlanOutcome, { status: 'ok' }>): string {
  const { plan, bundle, verification } = outcome;
  const target = plan.target.pillar;
  const what = target
    ? `${pillarName(target)} level ${plan.target.level}`
    : `operational maturity level ${plan.target.level}`;
  const out: string[] = [`# Plumbline plan: ${what}`, ''];
  out.push(
    `From level ${plan.from.level} (${levels(plan.from.pillars)}) to level ${plan.to.level} (${levels(plan.to.pillars)}).`,
    '',
    `${plan.steps.length} steps, ${plan.hours} hours of effort (effort table: docs/methodology/remediation-plan.md). Integration tax ${usd(plan.from.taxCents)} -> ${usd(plan.to.taxCents)} a year.`,
    '',
  );
  if (plan.from.agents && plan.to.agents)
    out.push(
      `AI agent accountability from ${agentLevelWords(plan.from.agents)} to ${agentLevelWords(plan.to.agents)} (manual steps included; the generated objects alone reach ${plan.agentPromise ? agentLevelWords(plan.agentPromise) : 'the same'}).`,
      '',
    );
  if (plan.alreadyMet) out.push('The target is already met: nothing to do.', '');
  out.push('## Steps', '');
  plan.steps.forEach((s, i) => {
    out.push(
      `${i + 1}. **${s.title}** (${s.kind === 'generated' ? `generated: \`${s.id}/\`` : 'manual'}, ${s.hours} h, ${s.units} ${s.unit}${s.units === 1 ? '' : 's'}) - meets ${s.addresses.join(', ')}; after it: ${target ? `${pillarName(target)} level ${pillarLevel(s.after, target)}, cluster level ${s.after.level}` : `level ${s.after.level}`}${s.taxDeltaCents ? `, tax ${s.taxDeltaCents > 0 ? '+' : '-'}${usd(Math.abs(s.taxDeltaCents))}/year` : ''}.`,
      `   ${s.remediation}`,
    );
    if (s.confirms.length)
      out.push(
        `   Not evaluable from this scan: ${s.confirms.join(', ')}. If the cluster already meets it (e.g. objects outside the scanned folder), this step is only a check.`,
      );
  });
  const todo = plan.agentPromise ? plan.steps.filter((s) => s.kind === 'manual') : [];
  if (todo.length) {
    out.push(
      '',
      '## What your team must do',
      '',
      'These steps have no generated objects (only you know the value, or no manifest can honestly do them). The plan counts them as done; the bundle alone does not:',
      '',
    );
    for (const s of todo) out.push(`- [ ] ${s.title} (${s.hours} h): ${s.remediation}`);
  }
  out.push('', '## Roadmap', '');
  for (const p of plan.roadmap)
    out.push(
      `- ${p.byDay === null ? 'After 90 days' : `By day ${p.byDay}`}: ${p.steps.length ? p.steps.join(', ') : 'nothing'} (${p.hours} h) -> ${target && isAccountabilityPillar(target) ? `${pillarName(target)} level ${pillarLevel(p.after, target)}, cluster ` : ''}level ${p.after.level}, tax ${usd(p.after.taxCents)}/year`,
    );
  out.push('', '## Verification', '');
  if (!bundle || !verification) out.push('No generated objects: every step is manual.');
  else {
    out.push(
      `The ${bundle.objects.length} objects were applied to the scanned snapshot in memory and the full analysis re-run:`,
      '',
      `- levels promised: ${levels(verification.promised)}`,
      `- levels reached:  ${levels(verification.reached)}`,
      ...(verification.agents
        ? [
            `- AI agent accountability promised: ${agentLevelWords(verification.agents.promised)}`,
            `- AI agent accountability reached:  ${agentLevelWords(verification.agents.reached)}`,
          ]
        : []),
      `- Service-exposed connections checked: ${verification.connectivity.checked}; cut: ${verification.connectivity.cut.length}`,
      `- newly isolated workloads: ${verification.connectivity.newlyIsolated.ingress} (ingress), ${verification.connectivity.newlyIsolated.egress} (egress)`,
    );
    if (verification.connectivity.newlyDenied.length) {
      out.push('', 'Newly denied (everything a Service does not expose):', '');
      for (const l of verification.connectivity.newlyDenied) out.push(`- ${l}`);
    }
    const partial = bundle.objects.filter((o) => o.partial);
    out.push(
      '',
      '## Applying',
      '',
      '`kubectl apply -k .` (or `kubectl apply --server-side -k .`). Review first: `kubectl diff -k .`.',
    );
    if (partial.length)
      out.push(
        '',
        `${partial.length} files are partial objects (only the changed fields of objects you already run: ${[...new Set(partial.map((o) => o.manifest.kind))].join(', ')}); \`kubectl apply\` merges them into the live objects. If Git owns those objects, make the same change there.`,
      );
    out.push(
      '',
      'To see the promised levels before applying: `plumbline-scanner scan --from-dir YOUR_MANIFESTS --from-dir THIS_FOLDER --analyze`.',
    );
  }
  return out.join('\n') + '\n';
}

/** A file of the bundle folder: path relative to the folder, and its text. */
export interface BundleFile {
  path: string;
  text: string;
}

/**
 * The plan's stored form: the plan and its verification without the re-analysis (what plan.json,
 * the API and the web show).
 */
export function storedVerification(v: Verification | null) {
  if (!v) return null;
  const { analysis: _analysis, ...rest } = v;
  return rest;
}

/**
 * Every file of the bundle folder, in order: one YAML file per object, `kustomization.yaml`
 * listing them (when there are objects), `README.md` (the plan and its verification in words)
 * and `plan.json`. The CLI writes them to --out; the worker zips them.
 */
export function bundleFiles(outcome: Extract<PlanOutcome, { status: 'ok' }>): BundleFile[] {
  const { plan, bundle, verification } = outcome;
  const files: BundleFile[] = [];
  if (bundle) {
    for (const o of bundle.objects)
      files.push({ path: o.file, text: stringify(o.manifest, { lineWidth: 0 }) });
    files.push({
      path: 'kustomization.yaml',
      text: stringify(
        {
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: bundle.objects.map((o) => o.file),
        },
        { lineWidth: 0 },
      ),
    });
  }
  files.push({ path: 'README.md', text: renderPlanMarkdown(outcome) });
  files.push({
    path: 'plan.json',
    text: JSON.stringify({ plan, verification: storedVerification(verification) }, null, 2) + '\n',
  });
  return files;
}
