import {
  ACCOUNTABILITY_PILLARS,
  ACCOUNTABILITY_PILLAR_TITLES,
  MATURITY_PILLARS,
  type AccountabilityPillar,
  type AgentItem,
  type AgentsResult,
  type ClusterSnapshot,
  type EvidenceUpload,
  type MaturityPillarId,
  type Workload,
} from '@plumbline/contracts';
import {
  CRITERIA as AGENT_CRITERIA,
  MODEL_ENDPOINT_ENV,
  PRINCIPLES,
  PROVIDER_KEY_ENV,
  REGISTRATION_KEY,
  TRACING_OFF,
  assessAgents,
  cumulativeLevel,
} from '@plumbline/agents';
import { computeFacts, evaluatePillar } from '@plumbline/maturity';
import type { Action } from './actions.js';
import {
  DEFAULT_HOURS_PER_PHASE,
  GENERATED_EFFORT,
  MANUAL_EFFORT,
  MANUAL_EFFORT_BY_LEVEL,
  effortOf,
  hoursFor,
  type EffortRow,
} from './effort.js';
import { cheapestCover } from './search.js';
import {
  PLAN_LABEL,
  applyToSnapshot,
  objectName,
  wref,
  type BundleObject,
  type Json,
} from './k8s.js';
import type { AgentLevels, Blocker, LevelState, PlanInput, PlanResult, PlanStep } from './types.js';

/**
 * Plans for an AI-agent accountability pillar: per discovered agent workload, generated actions
 * only where the scan's evidence shows the gap (a dedicated ServiceAccount with the least RBAC the
 * agent's own bindings and tools show it uses, a registration annotation, an OpenTelemetry
 * exporter pointed at a collector the scan found, model calls routed through a gateway the scan
 * found), and manual steps for everything a manifest cannot honestly do (an owner only the team
 * knows, pinning digests, uploads). Candidate sets are scored with the real assessAgents on the
 * snapshot with the objects applied (agent counts are small); manual steps count as met only in
 * the plan's end state, never in the bundle's promise, which verification re-analyses.
 */

export type { AgentLevels } from './types.js';

/** An agent action: the bundle's Action plus what it meets in the accountability model. */
export interface AgentAction extends Omit<Action, 'pillars' | 'effect'> {
  pillars: AccountabilityPillar[];
  /** Manual only: criterion ids (and `principle:<id>`) counted as met once the team did it. */
  meets: string[];
  /** The agents it touches (refs), for the plan's words. */
  agents: string[];
}

const GENERATED_ORDER = {
  'agent-service-accounts': 10,
  'agent-registration': 11,
  'agent-trace-export': 12,
  'agent-gateway-route': 13,
} as const;

const PATCHABLE = new Set(['Deployment', 'StatefulSet']);

interface AgentContext {
  snapshot: ClusterSnapshot;
  agents: AgentsResult;
  effort: PlanInput['effort'];
}

/** A generated agent action over `agents` (refs): one unit per agent, hours from the effort table. */
function generatedAgentAction(
  ctx: AgentContext,
  id: keyof typeof GENERATED_ORDER,
  agents: string[],
  a: Pick<AgentAction, 'title' | 'addresses' | 'pillars' | 'remediation' | 'generate'>,
): AgentAction {
  const row = effortOf(id, GENERATED_EFFORT[id]!, ctx.effort);
  return {
    id,
    kind: 'generated',
    meets: [],
    agents,
    units: agents.length,
    unit: row.unit,
    hours: hoursFor(row, agents.length),
    order: GENERATED_ORDER[id],
    ...a,
  };
}

interface Target {
  item: AgentItem;
  w: Workload;
}

/** Workload agents the bundle can patch (Deployment, StatefulSet), with their workload. */
function patchable(ctx: AgentContext): Target[] {
  const out: Target[] = [];
  for (const item of ctx.agents.items) {
    if (item.kind !== 'agent' || item.source !== 'workload' || !item.namespace) continue;
    const w = ctx.snapshot.workloads.find(
      (x) => wref(x) === item.ref && PATCHABLE.has(x.kind) && !x.owner,
    );
    if (w) out.push({ item, w });
  }
  return out;
}

function header(kind: string, apiVersion: string, name: string, ns: string, action: string) {
  return {
    apiVersion,
    kind,
    metadata: { name, namespace: ns, labels: { [PLAN_LABEL]: action } },
  };
}

function bundleObject(action: string, partial: boolean, m: BundleObject['manifest']): BundleObject {
  return {
    file: `${action}/${m.kind.toLowerCase()}-${m.metadata.namespace}-${m.metadata.name}.yaml`,
    action,
    partial,
    manifest: m,
  };
}

/** A partial Deployment/StatefulSet: only the fields given (merged by `kubectl apply`). */
function workloadPatch(
  w: Workload,
  action: string,
  fields: { annotations?: Record<string, string>; pod?: Record<string, Json> },
): BundleObject {
  const spec: { [k: string]: Json } = {};
  if (fields.pod) spec.template = { spec: fields.pod };
  return bundleObject(action, true, {
    apiVersion: 'apps/v1',
    kind: w.kind,
    metadata: {
      name: w.name,
      namespace: w.namespace,
      ...(fields.annotations ? { annotations: fields.annotations } : {}),
    },
    ...(fields.pod ? { spec } : {}),
  });
}

// ---------------------------------------------------------------- (a) identity

type Rule = ClusterSnapshot['roles'][number]['rules'][number];

/** Tool names that act on the Kubernetes API (a kubectl or Kubernetes MCP tool). */
const KUBE_TOOL =
  /kubectl|kubernetes|\bk8s|(^|[_\-. ])(get|list|describe|watch|create|apply|patch|delete|scale|rollout)[_-](pods?|deployments?|services?|namespaces?|nodes?|events?|configmaps?|jobs?|statefulsets?|resources?)\b/i;

/**
 * What the agent uses the Kubernetes API for, from the scan: the rules of Roles and ClusterRoles
 * bound to its ServiceAccount by name, without wildcards, Secret reads and non-resource URLs (a
 * least-privilege Role cannot hold them; they are listed as dropped), and whether its tools act
 * on the API.
 */
export function leastRbac(
  snapshot: ClusterSnapshot,
  item: AgentItem,
  w: Workload,
): { rules: Rule[]; dropped: string[]; kubeTools: string[]; clusterWide: boolean } {
  const sa = w.serviceAccountName || 'default';
  const rules: Rule[] = [];
  const dropped: string[] = [];
  let clusterWide = false;
  for (const b of snapshot.roleBindings) {
    if (
      !b.subjects.some(
        (s) =>
          s.kind === 'ServiceAccount' &&
          s.name === sa &&
          (s.namespace ?? b.namespace) === w.namespace,
      )
    )
      continue;
    const role = snapshot.roles.find((r) =>
      b.roleRef.kind === 'ClusterRole'
        ? r.kind === 'ClusterRole' && r.name === b.roleRef.name
        : r.kind === 'Role' && r.name === b.roleRef.name && r.namespace === b.namespace,
    );
    if (!role) {
      dropped.push(`${b.roleRef.kind} ${b.roleRef.name} (rules not in the scan)`);
      continue;
    }
    for (const r of role.rules) {
      const verbs = r.verbs.map((v) => v.toLowerCase());
      const why: string[] = [];
      if (verbs.includes('*') || r.resources.includes('*') || r.apiGroups.includes('*'))
        why.push('wildcard');
      if (
        (r.apiGroups.includes('') || r.apiGroups.includes('*')) &&
        (r.resources.includes('secrets') || r.resources.includes('*')) &&
        !r.resourceNames.length
      )
        why.push('reads Secrets');
      if (r.nonResourceURLs.length) why.push('non-resource URLs');
      if (!r.resources.length) why.push('no resources');
      const text = `${verbs.join(',')} ${r.resources.join(',')}${r.apiGroups.filter(Boolean).length ? ` (${r.apiGroups.filter(Boolean).join(',')})` : ''}`;
      if (why.length) dropped.push(`${role.kind} ${role.name}: ${text} (${why.join(', ')})`);
      else {
        if (b.kind === 'ClusterRoleBinding') clusterWide = true;
        rules.push({
          apiGroups: [...r.apiGroups],
          resources: [...r.resources],
          verbs: [...verbs].sort(),
          resourceNames: [...r.resourceNames],
          nonResourceURLs: [],
        });
      }
    }
  }
  const seen = new Set<string>();
  const unique = rules.filter((r) => {
    const k = JSON.stringify(r);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return {
    rules: unique,
    dropped: [...new Set(dropped)].sort(),
    kubeTools: item.tools.filter((t) => KUBE_TOOL.test(t)).sort(),
    clusterWide,
  };
}

function identityAction(ctx: AgentContext): AgentAction | null {
  const id = 'agent-service-accounts';
  const plans: { t: Target; sa: string; fresh: boolean; mount: boolean; rules: Rule[] }[] = [];
  const taken = new Set(ctx.snapshot.serviceAccounts.map((s) => `${s.namespace}/${s.name}`));
  for (const w of ctx.snapshot.workloads)
    taken.add(`${w.namespace}/${w.serviceAccountName || 'default'}`);
  const notes: string[] = [];
  for (const t of patchable(ctx)) {
    const { item, w } = t;
    const r = item.rbac;
    const powerful = !!r && (r.clusterAdmin || r.wildcard || r.secretsRead);
    const shared = item.dedicatedServiceAccount === false;
    const tokenUnneeded = item.automountToken === true && !!r && !r.bindings.length;
    if (!shared && !powerful && !tokenUnneeded) continue;
    const least = leastRbac(ctx.snapshot, item, w);
    const mount = least.rules.length > 0 || least.kubeTools.length > 0;
    if (!shared && !powerful) {
      // Dedicated and harmless, only an unused token: stop mounting it, unless its tools need it.
      if (mount) continue;
      plans.push({ t, sa: w.serviceAccountName, fresh: false, mount: false, rules: [] });
      notes.push(`${item.ref}: token no longer mounted (its ServiceAccount has no RBAC bindings)`);
      continue;
    }
    let sa = objectName(w.name);
    if (taken.has(`${w.namespace}/${sa}`)) sa = objectName(w.name, 'agent');
    let n = 2;
    while (taken.has(`${w.namespace}/${sa}`)) sa = objectName(w.name, 'agent', String(n++));
    taken.add(`${w.namespace}/${sa}`);
    plans.push({ t, sa, fresh: true, mount, rules: least.rules });
    notes.push(
      `${item.ref}: ServiceAccount ${w.namespace}/${sa} (was ${item.serviceAccount ?? 'default'})${least.rules.length ? `, Role with ${least.rules.length} rule(s) it holds today${least.clusterWide ? ' (granted cluster-wide today, in its own namespace now: if it reads other namespaces, bind a ClusterRole with these rules)' : ''}` : ', no Role'}${mount ? ', token mounted' : ', token not mounted'}${least.kubeTools.length && !least.rules.length ? ` - its tools (${least.kubeTools.slice(0, 3).join(', ')}) act on the Kubernetes API: add a Role with the exact verbs they use` : ''}${least.dropped.length ? `; not carried over: ${least.dropped.slice(0, 3).join('; ')}` : ''}`,
    );
  }
  if (!plans.length) return null;
  return generatedAgentAction(
    ctx,
    id,
    plans.map((p) => p.t.item.ref),
    {
      title: 'Give each agent its own ServiceAccount with least-privilege RBAC',
      addresses: [
        'identity.service-account',
        'identity.least-privilege',
        'identity.token-automount',
      ],
      pillars: ['identity-ownership'],
      remediation: `A dedicated ServiceAccount per agent, a Role only with the rules the agent's bindings grant today (no wildcards, no Secret reads) and the token mounted only when it uses the API. ${notes.join('. ')}. Bindings of the old ServiceAccount stay: remove them once nothing else uses them.`,
      generate: () =>
        plans.flatMap(({ t: { w }, sa, fresh, mount, rules }) => {
          const out: BundleObject[] = [];
          if (fresh) {
            out.push(
              bundleObject(id, false, {
                ...header('ServiceAccount', 'v1', sa, w.namespace, id),
                automountServiceAccountToken: mount,
              }),
            );
            if (rules.length) {
              const role = objectName(sa, 'least-privilege');
              out.push(
                bundleObject(id, false, {
                  ...header('Role', 'rbac.authorization.k8s.io/v1', role, w.namespace, id),
                  rules: rules.map((r) => ({
                    apiGroups: r.apiGroups,
                    resources: r.resources,
                    verbs: r.verbs,
                    ...(r.resourceNames.length ? { resourceNames: r.resourceNames } : {}),
                  })),
                }),
                bundleObject(id, false, {
                  ...header('RoleBinding', 'rbac.authorization.k8s.io/v1', role, w.namespace, id),
                  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
                  subjects: [{ kind: 'ServiceAccount', name: sa, namespace: w.namespace }],
                }),
              );
            }
          }
          out.push(
            workloadPatch(w, id, {
              pod: {
                ...(fresh ? { serviceAccountName: sa } : {}),
                automountServiceAccountToken: mount,
              },
            }),
          );
          return out;
        }),
    },
  );
}

// ---------------------------------------------------------------- (b) registration

/** Registration keys on the workload or its pod template, with their values. */
function registrationKeys(w: Workload): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [];
  for (const rec of [w.annotations ?? {}, w.labels, w.podLabels, w.podAnnotations])
    for (const [key, value] of Object.entries(rec))
      if (REGISTRATION_KEY.test(key)) out.push({ key, value });
  return out;
}

export const REGISTRATION_ANNOTATION = 'plumbline.io/agent';

function registrationAction(ctx: AgentContext): AgentAction | null {
  const id = 'agent-registration';
  // A registration key present but switched off ("false") or withheld is someone's decision or
  // something the scan cannot read: never overridden by the bundle (a manual step decides).
  const targets = patchable(ctx).filter(
    ({ item, w }) => !item.registered && !registrationKeys(w).length,
  );
  if (!targets.length) return null;
  return generatedAgentAction(
    ctx,
    id,
    targets.map((t) => t.item.ref),
    {
      title: 'Register the shadow agents (registration annotation)',
      addresses: ['identity.registered'],
      pillars: ['identity-ownership'],
      remediation: `Annotate ${targets.map((t) => t.item.ref).join(', ')} with ${REGISTRATION_ANNOTATION}: <namespace>/<name>, declaring each to the agent inventory under its workload identity. If your registry has its own ids, put those instead before applying.`,
      generate: () =>
        targets.map(({ w }) =>
          workloadPatch(w, id, {
            annotations: { [REGISTRATION_ANNOTATION]: `${w.namespace}/${w.name}` },
          }),
        ),
    },
  );
}

// ---------------------------------------------------------------- (c) trace export

const COLLECTOR_IMAGE =
  /opentelemetry-collector|otel\/opentelemetry|otelcol|(^|\/)jaeger|grafana\/tempo|grafana\/alloy/i;

/** An OTLP endpoint the scan shows: a Service selecting a collector workload on 4318 or 4317. */
export function findCollector(
  snapshot: ClusterSnapshot,
): { url: string; protocol: 'grpc' | 'http/protobuf'; service: string } | null {
  const found: { url: string; protocol: 'grpc' | 'http/protobuf'; service: string }[] = [];
  for (const s of [...snapshot.services].sort((a, b) =>
    `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`),
  )) {
    const sel = s.selector;
    if (!sel || !Object.keys(sel).length) continue;
    const backs = snapshot.workloads.some(
      (w) =>
        w.namespace === s.namespace &&
        Object.entries(sel).every(([k, v]) => w.podLabels[k] === v) &&
        w.containers.some((c) => COLLECTOR_IMAGE.test(c.image)),
    );
    if (!backs) continue;
    const at = (n: number) =>
      s.ports.find((p) => p.port === n || (p.targetPort === n && (p.protocol || 'TCP') === 'TCP'));
    const http = at(4318);
    const grpc = at(4317);
    const p = http ?? grpc;
    if (!p) continue;
    found.push({
      url: `http://${s.name}.${s.namespace}:${p.port}`,
      protocol: http ? 'http/protobuf' : 'grpc',
      service: `${s.namespace}/${s.name}`,
    });
  }
  return found[0] ?? null;
}

/** A tracer switched off on purpose in one of its containers (never overridden). */
function tracingSwitchedOff(w: Workload): string | null {
  for (const c of w.containers)
    for (const e of c.env)
      for (const f of TRACING_OFF)
        if (f.name.test(e.name) && e.source === 'literal' && e.value && f.off.test(e.value.trim()))
          return `${c.name} ${e.name}=${e.value}`;
  return null;
}

function traceAction(ctx: AgentContext): AgentAction | null {
  const id = 'agent-trace-export';
  const collector = findCollector(ctx.snapshot);
  if (!collector) return null;
  const targets = patchable(ctx).filter(
    ({ item, w }) => item.tracing.exporter === false && !tracingSwitchedOff(w),
  );
  if (!targets.length) return null;
  return generatedAgentAction(
    ctx,
    id,
    targets.map((t) => t.item.ref),
    {
      title: 'Export every agent run as OpenTelemetry traces',
      addresses: ['trace.exporter'],
      pillars: ['traceability'],
      remediation: `Set OTEL_EXPORTER_OTLP_ENDPOINT (the collector Service ${collector.service}), OTEL_EXPORTER_OTLP_PROTOCOL, OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (gen_ai.agent.id) on ${targets.map((t) => t.item.ref).join(', ')}. The agent's OpenTelemetry SDK or framework instrumentation must be enabled for spans to flow; names and non-secret values only.`,
      generate: () =>
        targets.map(({ w }) => {
          const env = (c: Workload['containers'][number]): Json[] => {
            const has = new Set(c.env.map((e) => e.name));
            const want: [string, string][] = [
              ['OTEL_EXPORTER_OTLP_ENDPOINT', collector.url],
              ['OTEL_EXPORTER_OTLP_PROTOCOL', collector.protocol],
              ['OTEL_SERVICE_NAME', w.name],
              [
                'OTEL_RESOURCE_ATTRIBUTES',
                `gen_ai.agent.id=${w.namespace}/${w.name},k8s.namespace.name=${w.namespace}`,
              ],
            ];
            return want.filter(([n]) => !has.has(n)).map(([name, value]) => ({ name, value }));
          };
          return workloadPatch(w, id, {
            pod: {
              containers: w.containers
                .filter((c) => !c.init)
                .map((c) => ({ name: c.name, env: env(c) })),
            },
          });
        }),
    },
  );
}

// ---------------------------------------------------------------- (d) gateway routing

/** The base-URL env var each provider's SDK reads (only names discovery reads as endpoints). */
const BASE_URL_ENV: Readonly<Record<string, string>> = {
  openai: 'OPENAI_BASE_URL',
  anthropic: 'ANTHROPIC_BASE_URL',
  google: 'GEMINI_BASE_URL',
  mistral: 'MISTRAL_BASE_URL',
  groq: 'GROQ_BASE_URL',
};

/** A gateway the scan found, reachable by a Service selecting its workload. */
export function findGateway(
  snapshot: ClusterSnapshot,
  agents: AgentsResult,
): { url: string; gateway: string; service: string } | null {
  const gws = agents.items
    .filter((i) => i.kind === 'gateway' && i.source === 'workload')
    .sort((a, b) => a.ref.localeCompare(b.ref));
  for (const g of gws) {
    const w = snapshot.workloads.find((x) => wref(x) === g.ref);
    if (!w) continue;
    const svc = [...snapshot.services]
      .sort((a, b) => a.name.localeCompare(b.name))
      .find(
        (s) =>
          s.namespace === w.namespace &&
          !!s.selector &&
          Object.keys(s.selector).length > 0 &&
          Object.entries(s.selector).every(([k, v]) => w.podLabels[k] === v) &&
          s.ports.length > 0,
      );
    if (!svc) continue;
    return {
      url: `http://${svc.name}.${svc.namespace}:${svc.ports[0]!.port}`,
      gateway: g.ref,
      service: `${svc.namespace}/${svc.name}`,
    };
  }
  return null;
}

function gatewayAction(ctx: AgentContext): AgentAction | null {
  const id = 'agent-gateway-route';
  const gw = findGateway(ctx.snapshot, ctx.agents);
  if (!gw) return null;
  const plans: { w: Workload; item: AgentItem; names: string[] }[] = [];
  for (const { item, w } of patchable(ctx)) {
    const envs = w.containers.flatMap((c) => c.env);
    const endpoints = envs.filter((e) => MODEL_ENDPOINT_ENV.test(e.name));
    const providers = [
      ...new Set(
        envs.flatMap((e) =>
          PROVIDER_KEY_ENV.filter((p) => p.name.test(e.name)).map((p) => p.provider),
        ),
      ),
    ];
    // Only agents the scan shows calling a provider directly (never an endpoint it cannot read,
    // an external host that may be your own gateway, or a base URL from a Secret or ConfigMap).
    if (item.modelRoute.route !== 'direct-provider') continue;
    let names: string[];
    if (endpoints.length) {
      if (!endpoints.every((e) => e.source === 'literal' && e.value)) continue;
      names = endpoints.map((e) => e.name);
    } else {
      // No base URL at all: the SDK's default, the provider itself; every provider covered.
      names = providers.map((p) => BASE_URL_ENV[p]).filter((n): n is string => !!n);
      if (!names.length || names.length < providers.length) continue;
    }
    plans.push({ w, item, names: [...new Set(names)].sort() });
  }
  if (!plans.length) return null;
  return generatedAgentAction(
    ctx,
    id,
    plans.map((p) => p.item.ref),
    {
      title: 'Route model calls through the AI gateway',
      addresses: ['policy.gateway'],
      pillars: ['policy-at-scale'],
      remediation: `Point ${plans.map((p) => `${p.item.ref} (${p.names.join(', ')})`).join(', ')} at the gateway ${gw.gateway} (Service ${gw.service}). Before applying, check the gateway serves these providers' APIs and holds their credentials; if it issues its own keys, give each agent one in a Secret.`,
      generate: () =>
        plans.map(({ w, names }) =>
          workloadPatch(w, id, {
            pod: {
              containers: w.containers
                .filter((c) => !c.init)
                .map((c) => ({
                  name: c.name,
                  env: names.map((name) => ({ name, value: gw.url })),
                })),
            },
          }),
        ),
    },
  );
}

// ---------------------------------------------------------------- manual steps

/** Criteria whose proof a scan of manifests can give (the rest need uploads or probes). */
export const scanObservable = (criterionId: string): boolean =>
  /^scan:/.test(AGENT_CRITERIA.find((c) => c.id === criterionId)?.proof ?? '');

function manualActions(
  ctx: AgentContext,
  pillar: AccountabilityPillar,
  level: number,
): AgentAction[] {
  const out: AgentAction[] = [];
  const rows = ctx.agents.pillars.find((p) => p.pillar === pillar)?.criteria ?? [];
  AGENT_CRITERIA.forEach((c, i) => {
    if (c.pillar !== pillar || c.level > level || !scanObservable(c.id)) return;
    const id = `manual:${c.id}`;
    const row: EffortRow = effortOf(
      id,
      MANUAL_EFFORT[id] ?? MANUAL_EFFORT_BY_LEVEL[c.level],
      ctx.effort,
    );
    const failing = (rows.find((r) => r.id === c.id)?.evidence ?? []).filter((e) =>
      ctx.agents.items.some((a) => a.kind === 'agent' && e.startsWith(`${a.ref}:`)),
    );
    const units = row.unit === 'agent' ? Math.max(1, failing.length) : 1;
    out.push({
      id,
      title: c.title,
      kind: 'manual',
      addresses: [c.id],
      pillars: [pillar],
      meets: [c.id],
      agents: failing.map((e) => e.slice(0, e.indexOf(':'))),
      units,
      unit: row.unit,
      hours: hoursFor(row, units),
      remediation:
        c.id === 'identity.owner'
          ? `${c.remediation} Only your team knows the owner: add the label yourselves (Plumbline writes no placeholder, which would count as an owner).`
          : c.remediation,
      order: 100 + i,
    });
  });
  PRINCIPLES.forEach((p, i) => {
    if (p.pillar !== pillar || p.capLevel >= level) return;
    const id = `manual:principle.${p.id}`;
    const row = effortOf(id, MANUAL_EFFORT[id] ?? MANUAL_EFFORT_BY_LEVEL[2], ctx.effort);
    out.push({
      id,
      title: `Principle ${p.number}, ${p.title}: stop failing "${p.failTest}"`,
      kind: 'manual',
      addresses: [`principle:${p.id}`],
      pillars: [pillar],
      meets: [`principle:${p.id}`],
      agents: [],
      units: 1,
      unit: row.unit,
      hours: hoursFor(row, 1),
      remediation: p.remediation,
      order: 200 + i,
    });
  });
  return out;
}

/** Every agent action for this scan and target pillar, in canonical order. */
export function agentCatalogue(
  snapshot: ClusterSnapshot,
  agents: AgentsResult,
  pillar: AccountabilityPillar,
  level: number,
  effort?: PlanInput['effort'],
): AgentAction[] {
  const ctx: AgentContext = { snapshot, agents, effort };
  const generated = [
    identityAction(ctx),
    registrationAction(ctx),
    traceAction(ctx),
    gatewayAction(ctx),
  ].filter((a): a is AgentAction => a !== null);
  return [...generated, ...manualActions(ctx, pillar, level)];
}

/** An agent action as the bundle builder takes it (it changes no maturity fact). */
export const asAction = (a: AgentAction): Action => ({
  ...a,
  pillars: [],
  effect: (f) => f,
});

// ---------------------------------------------------------------- levels

/**
 * Accountability levels of an assessment with some criteria and principles counted as met (the
 * manual steps, in the plan's end state): the scoring of packages/agents (cumulative levels,
 * levels 3+ need an observed criterion, failed principles cap) over the assessment's outcomes.
 */
export function agentLevels(
  result: AgentsResult,
  met: ReadonlySet<string> = new Set(),
): AgentLevels {
  const out = {} as AgentLevels;
  for (const pillar of ACCOUNTABILITY_PILLARS) {
    const p = result.pillars.find((x) => x.pillar === pillar);
    if (!p || p.level === null) {
      out[pillar] = 0;
      continue;
    }
    let level = cumulativeLevel(
      p.criteria.map((c) =>
        met.has(c.id)
          ? { level: c.level, status: 'met', basis: 'observed' }
          : { level: c.level, status: c.status, basis: c.basis },
      ),
    );
    for (const pr of result.principles)
      if (
        pr.pillar === pillar &&
        pr.status === 'failed' &&
        pr.capLevel < level &&
        !met.has(`principle:${pr.principle}`)
      )
        level = pr.capLevel;
    out[pillar] = level;
  }
  return out;
}

interface Requirement {
  id: string;
  status: string;
  reason: string;
  level: number;
}

function requirements(
  result: AgentsResult,
  pillar: AccountabilityPillar,
  level: number,
  met: ReadonlySet<string>,
): Requirement[] {
  const out: Requirement[] = [];
  const p = result.pillars.find((x) => x.pillar === pillar);
  for (const c of p?.criteria ?? [])
    if (c.level <= level && c.status !== 'met' && !met.has(c.id))
      out.push({ id: c.id, status: c.status, reason: c.reason, level: c.level });
  for (const pr of result.principles)
    if (
      pr.pillar === pillar &&
      pr.status === 'failed' &&
      pr.capLevel < level &&
      !met.has(`principle:${pr.principle}`)
    )
      out.push({
        id: `principle:${pr.principle}`,
        status: 'failed',
        reason: pr.reason,
        level: pr.capLevel + 1,
      });
  // Levels 3 and 4 need one criterion observed, not only attested.
  if (!out.length && agentLevels(result, met)[pillar] < level)
    out.push({
      id: `observed:${pillar}`,
      status: 'not-met',
      reason: 'levels 3 and 4 need at least one criterion observed, not only attested',
      level,
    });
  return out;
}

// ---------------------------------------------------------------- the plan

type Reachable = Extract<PlanResult, { reachable: true }>;

const title = (id: string) =>
  AGENT_CRITERIA.find((c) => c.id === id)?.title ??
  (id.startsWith('principle:')
    ? `principle ${PRINCIPLES.find((p) => `principle:${p.id}` === id)?.title ?? id.slice(10)}`
    : id);

/** The plan to an accountability pillar's level (planWithActions dispatches here). */
export function planAgentTarget(
  input: PlanInput,
  pillar: AccountabilityPillar,
): { plan: PlanResult; actions: Action[] } {
  const { snapshot, analysis, target } = input;
  const detection = analysis.steps.detection;
  const netpol = analysis.steps.netpol;
  const base = analysis.steps.agents;
  const evidence: readonly EvidenceUpload[] = input.evidence ?? [];
  const maturityOf = (s: ClusterSnapshot): Record<MaturityPillarId, number> => {
    const f = computeFacts(s, detection, netpol);
    const out = {} as Record<MaturityPillarId, number>;
    for (const p of MATURITY_PILLARS) out[p] = evaluatePillar(p, f).level;
    return out;
  };
  const fromMaturity = {} as Record<MaturityPillarId, number>;
  for (const p of analysis.steps.maturity.pillars) fromMaturity[p.id] = p.level;
  const state = (maturity: Record<MaturityPillarId, number>, agents: AgentLevels): LevelState => ({
    level: Math.min(...MATURITY_PILLARS.map((p) => maturity[p])),
    pillars: maturity,
    taxCents: analysis.steps.cost.totalCents,
    agents,
  });
  const from = state(fromMaturity, agentLevels(base));
  const what = `${ACCOUNTABILITY_PILLAR_TITLES[pillar]} level ${target.level}`;
  const unreachable = (reason: string, blockers: Blocker[]) => ({
    actions: [],
    plan: { reachable: false as const, target, from, reason, blockers, accepted: [] },
  });
  if (base.status !== 'assessed')
    return unreachable(
      `${what} is out of reach: no AI agents were found in this scan, so there is nothing to plan for (a pillar without agents is not scored, not level 4).`,
      [{ id: 'agents.none', pillar, reason: base.message }],
    );
  if (base.evidence.length && !evidence.length)
    return unreachable(
      `${what}: the analysis read evidence uploads the plan was not given; plan with the same uploads so the re-analysis sees what the scan saw.`,
      [],
    );

  // Scoring of a set of generated actions (the real assessment, cached by set).
  const cache = new Map<string, { snapshot: ClusterSnapshot; result: AgentsResult }>();
  const withGenerated = (gen: readonly AgentAction[]) => {
    const key = gen
      .map((a) => a.id)
      .sort()
      .join('|');
    const hit = cache.get(key);
    if (hit) return hit;
    let patched = snapshot;
    for (const a of [...gen].sort((x, y) => x.order - y.order))
      patched = applyToSnapshot(patched, a.generate?.(patched) ?? []);
    const result = gen.length ? assessAgents({ snapshot: patched, detection, evidence }) : base;
    const v = { snapshot: patched, result };
    cache.set(key, v);
    return v;
  };
  const evaluateSet = (set: readonly AgentAction[]) => {
    const gen = set.filter((a) => a.kind === 'generated');
    const met = new Set(set.filter((a) => a.kind === 'manual').flatMap((a) => a.meets));
    const { result, snapshot: patched } = withGenerated(gen);
    return { result, patched, met, open: requirements(result, pillar, target.level, met) };
  };

  const all = agentCatalogue(snapshot, base, pillar, target.level, input.effort);
  const open = requirements(base, pillar, target.level, new Set());
  // What only uploads or probes can prove: no manifest and no step of this plan meets it.
  const needsUploads = open.filter(
    (r) => !r.id.startsWith('principle:') && !r.id.startsWith('observed:') && !scanObservable(r.id),
  );
  if (needsUploads.length)
    return unreachable(
      `${what} is out of reach from this scan: ${needsUploads.map((r) => `“${title(r.id)}” needs evidence only an upload (OTLP trace sample, decision log, probe report or attestation) gives (${r.status === 'unknown' ? 'not evaluable: ' : ''}${r.reason})`).join('; ')}`,
      needsUploads.map((r) => ({ id: r.id, pillar, reason: r.reason })),
    );
  const observedGap = open.find((r) => r.id.startsWith('observed:'));
  if (observedGap)
    return unreachable(`${what}: ${observedGap.reason}`, [
      { id: observedGap.id, pillar, reason: observedGap.reason },
    ]);

  // Widen: what each generated action meets on its own, beyond what it names.
  const openIds = new Set(open.map((r) => r.id));
  const unknownIds = new Set(open.filter((r) => r.status === 'unknown').map((r) => r.id));
  const widened = all.map((a) => {
    if (a.kind !== 'generated') return a;
    const still = new Set(evaluateSet([a]).open.map((r) => r.id));
    const met = [...openIds].filter((id) => !still.has(id));
    return { ...a, addresses: [...new Set([...a.addresses, ...met])] };
  });
  const relevant = widened.filter((a) => a.addresses.some((id) => openIds.has(id)));
  const everything = evaluateSet(relevant).open;
  if (everything.length)
    return unreachable(
      `${what} is out of reach from this scan's evidence: no action Plumbline knows meets ${everything.map((r) => `“${title(r.id)}” (${r.reason})`).join('; ')}`,
      everything.map((r) => ({ id: r.id, pillar, reason: r.reason })),
    );

  // Exact cheapest set: branch on the first open requirement (few actions, cached scoring). A
  // generated action that also changed a met requirement back (it should not) is still caught:
  // its set stays open and costs more.
  const chosen: AgentAction[] =
    cheapestCover(relevant, (xs) => evaluateSet(xs).open.map((r) => r.id)) ?? [];
  const levelOf = (a: AgentAction) =>
    Math.min(
      ...a.addresses
        .filter((id) => openIds.has(id))
        .map((id) => open.find((r) => r.id === id)?.level ?? 9),
    );
  const ordered = [...chosen].sort(
    (a, b) => levelOf(a) - levelOf(b) || a.order - b.order || a.id.localeCompare(b.id),
  );
  const steps: PlanStep[] = [];
  ordered.forEach((a, i) => {
    const e = evaluateSet(ordered.slice(0, i + 1));
    const gen = ordered.slice(0, i + 1).filter((x) => x.kind === 'generated');
    steps.push({
      id: a.id,
      title: a.title,
      kind: a.kind,
      addresses: a.addresses.filter((id) => openIds.has(id)),
      confirms: a.addresses.filter((id) => unknownIds.has(id)),
      findings: [],
      pillars: a.pillars,
      units: a.units,
      unit: a.unit,
      hours: a.hours,
      remediation: a.remediation,
      after: state(gen.length ? maturityOf(e.patched) : fromMaturity, agentLevels(e.result, e.met)),
      taxDeltaCents: 0,
    });
  });
  const to = steps.length ? steps[steps.length - 1]!.after : from;
  const generated = ordered.filter((a) => a.kind === 'generated');
  const g = withGenerated(generated);
  const hoursPerPhase = input.effort?.hoursPerPhase ?? DEFAULT_HOURS_PER_PHASE;
  const plan: Reachable = {
    reachable: true,
    target,
    from,
    to,
    bundlePromise: generated.length ? maturityOf(g.snapshot) : fromMaturity,
    agentPromise: agentLevels(g.result),
    steps,
    hours: steps.reduce((s, x) => s + x.hours, 0),
    // The planner cuts the steps into phases (roadmap in planner.ts).
    roadmap: [],
    hoursPerPhase,
    alreadyMet: steps.length === 0,
    accepted: [],
  };
  return { plan, actions: all.map(asAction) };
}
