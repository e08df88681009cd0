import type {
  ClusterSnapshot,
  DetectedComponent,
  Evidence,
  SpecObject,
  Workload,
} from '@plumbline/contracts';
import type {
  ApiSignal,
  ComponentRule,
  ObjectSignal,
  SupportSignal,
  WorkloadSignal,
} from './rule.js';

const ref = (w: Workload) => `${w.kind} ${w.namespace}/${w.name}`;
const group = (apiVersion: string) =>
  apiVersion.includes('/') ? apiVersion.split('/')[0]! : 'core';

export function workloadMatches(w: Workload, s: WorkloadSignal): boolean {
  if (s.kind && !s.kind.includes(w.kind)) return false;
  if (s.name && !s.name.test(w.name)) return false;
  if (s.namespace && !s.namespace.test(w.namespace)) return false;
  if (s.image && !w.containers.some((c) => s.image!.test(c.image))) return false;
  if (s.podLabel) {
    const v = w.podLabels[s.podLabel[0]];
    if (v === undefined || !s.podLabel[1].test(v)) return false;
  }
  if (s.sidecar) {
    const main = w.containers.filter((c) => !c.init);
    if (main.length < 2 || !main.some((c) => s.sidecar!.test(c.name))) return false;
  }
  if (s.env) {
    const [nameRe, valueRe] = s.env;
    const found = w.containers.some((c) =>
      c.env.some(
        (e) =>
          nameRe.test(e.name) &&
          (!valueRe || (e.source === 'literal' && e.value !== undefined && valueRe.test(e.value))),
      ),
    );
    if (!found) return false;
  }
  return true;
}

function describeSignal(s: WorkloadSignal): string {
  if (s.sidecar) return 'sidecar';
  if (s.name) return 'workload';
  if (s.image) return 'image';
  if (s.podLabel) return 'label';
  return 'workload';
}

function apiEvidence(snapshot: ClusterSnapshot, s: ApiSignal): Evidence[] {
  if ('crdGroup' in s) {
    return snapshot.crds
      .filter((c) => s.crdGroup.test(c.group))
      .map((c) => ({ ref: `CRD ${c.name}`, signal: 'crd' }));
  }
  if ('apiServiceGroup' in s) {
    return snapshot.apiServices
      .filter((a) => s.apiServiceGroup.test(a.group))
      .map((a) => ({ ref: `APIService ${a.name}`, signal: 'api-service' }));
  }
  return snapshot.webhookConfigurations
    .filter((w) => s.webhook.test(w.name))
    .map((w) => ({ ref: `${w.kind} ${w.name}`, signal: 'webhook' }));
}

function objectsOf(snapshot: ClusterSnapshot, s: ObjectSignal): { ref: string }[] {
  if (s.list === 'virtualMachines') {
    return snapshot.virtualMachines.map((v) => ({ ref: `${v.kind} ${v.namespace}/${v.name}` }));
  }
  const list = s.list === 'customResources' ? snapshot.config.customResources : snapshot[s.list];
  return list
    .filter(
      (o) =>
        s.group.test(group(o.apiVersion)) &&
        (!s.kind || s.kind.test(o.kind)) &&
        (!s.name || s.name.test(o.name)) &&
        (!s.specMatches || s.specMatches.test(JSON.stringify(o.spec))),
    )
    .map((o: SpecObject) => ({
      ref: `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`,
    }));
}

function supportEvidence(snapshot: ClusterSnapshot, s: SupportSignal): Evidence[] {
  if ('namespace' in s) {
    return snapshot.namespaces
      .filter((n) => s.namespace.test(n.name))
      .map((n) => ({ ref: `Namespace ${n.name}`, signal: 'namespace' }));
  }
  if ('namespaceLabel' in s) {
    return snapshot.namespaces
      .filter((n) => {
        const v = n.labels[s.namespaceLabel[0]];
        return v !== undefined && s.namespaceLabel[1].test(v);
      })
      .map((n) => ({
        ref: `Namespace ${n.name} label ${s.namespaceLabel[0]}=${n.labels[s.namespaceLabel[0]]}`,
        signal: 'label',
      }));
  }
  if ('configMap' in s) {
    return snapshot.config.configMaps
      .filter((c) => s.configMap.test(c.name))
      .map((c) => ({ ref: `ConfigMap ${c.namespace}/${c.name}`, signal: 'config' }));
  }
  if ('ingressClassController' in s) {
    return snapshot.ingressClasses
      .filter((c) => c.controller !== null && s.ingressClassController.test(c.controller))
      .map((c) => ({ ref: `IngressClass ${c.name} (${c.controller})`, signal: 'ingress-class' }));
  }
  if ('configMapKey' in s) {
    const [nameRe, keyRe, valueRe] = s.configMapKey;
    return snapshot.config.configMaps.flatMap((c) =>
      nameRe.test(c.name)
        ? Object.entries(c.data)
            .filter(([k, v]) => keyRe.test(k) && valueRe.test(v.trim()))
            .map(([k, v]) => ({
              ref: `ConfigMap ${c.namespace}/${c.name} ${k}=${v.trim()}`,
              signal: 'config',
            }))
        : [],
    );
  }
  if ('serviceAnnotation' in s) {
    const [key, valueRe] = s.serviceAnnotation;
    return snapshot.services
      .filter((svc) => svc.annotations[key] !== undefined && valueRe.test(svc.annotations[key]!))
      .map((svc) => ({
        ref: `Service ${svc.namespace}/${svc.name} annotation ${key}`,
        signal: 'annotation',
      }));
  }
  return snapshot.services
    .filter((svc) => svc.type === s.serviceType)
    .map((svc) => ({
      ref: `Service ${svc.namespace}/${svc.name} type ${svc.type}`,
      signal: 'service',
    }));
}

/** Apply one rule to a snapshot; null when nothing matched. */
export function matchRule(
  rule: ComponentRule,
  snapshot: ClusterSnapshot,
): DetectedComponent | null {
  const evidence: Evidence[] = [];
  const workloads: Workload[] = [];
  for (const signal of rule.runtime ?? []) {
    for (const w of snapshot.workloads) {
      if (!workloadMatches(w, signal) || workloads.includes(w)) continue;
      workloads.push(w);
      evidence.push({ ref: ref(w), signal: describeSignal(signal) });
    }
  }
  const objects: string[] = [];
  for (const signal of rule.objects ?? []) {
    for (const o of objectsOf(snapshot, signal)) {
      if (objects.includes(o.ref)) continue;
      objects.push(o.ref);
      evidence.push({ ref: o.ref, signal: 'object' });
    }
  }
  const apiEv = (rule.api ?? []).flatMap((s) => apiEvidence(snapshot, s));
  const supportEv = (rule.support ?? []).flatMap((s) => supportEvidence(snapshot, s));
  evidence.push(...apiEv, ...supportEv);

  let status: DetectedComponent['status'];
  if (workloads.length) status = 'installed';
  else if (objects.length && rule.objectsMeanInstalled) status = 'installed';
  else if (rule.supportDecides && supportEv.length) status = 'installed';
  else if (apiEv.length || objects.length) status = 'remnant';
  else return null;

  const attributes: Record<string, string | boolean | number> = rule.attributes
    ? rule.attributes({ snapshot, workloads })
    : {};
  if (status === 'installed' && rule.parts?.length && workloads.length) {
    const missing = rule.parts
      .filter((p) => !snapshot.workloads.some((w) => workloadMatches(w, p.signal)))
      .map((p) => p.name);
    if (missing.length) {
      status = 'partial';
      attributes.missingParts = missing.join(', ');
    }
  }

  let version: string | null = null;
  if (rule.versionFromImage) {
    for (const w of workloads) {
      for (const c of w.containers) {
        const m = rule.versionFromImage.exec(c.image);
        if (m?.[1]) {
          version = m[1];
          break;
        }
      }
      if (version) break;
    }
  }

  const kinds = new Set(evidence.map((e) => e.signal));
  const confidence: DetectedComponent['confidence'] =
    kinds.size >= 2 && (workloads.length || objects.length)
      ? 'high'
      : workloads.length || objects.length
        ? 'medium'
        : 'low';

  return {
    id: rule.id,
    name: rule.name,
    category: rule.category,
    status,
    version,
    confidence,
    attributes,
    evidence: dedupe(evidence),
  };
}

function dedupe(evidence: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  return evidence.filter((e) => {
    const k = `${e.signal}\u0000${e.ref}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
