import {
  COMPONENT_CATEGORIES,
  type ClusterSnapshot,
  type DetectedComponent,
  type DetectionResult,
} from '@plumbline/contracts';
import { networkFacts } from './facts.js';
import { matchRule } from './match.js';
import { findOverlaps } from './overlaps.js';
import type { ComponentRule } from './rule.js';
import { RULES } from './rules/index.js';

const OWN_NAMESPACE = /^plumbline(-system)?$/;

/** Detect the stack: every rule over the snapshot (Plumbline's own namespace excluded). */
export function detect(
  snapshot: ClusterSnapshot,
  rules: readonly ComponentRule[] = RULES,
): DetectionResult {
  const view: ClusterSnapshot = {
    ...snapshot,
    workloads: snapshot.workloads.filter((w) => !OWN_NAMESPACE.test(w.namespace)),
  };
  let components = rules
    .map((r) => matchRule(r, view))
    .filter((c): c is DetectedComponent => c !== null);
  // LoadBalancer Services are served by MetalLB when it runs, not by a cloud.
  if (components.some((c) => c.id === 'metallb' && c.status !== 'remnant')) {
    components = components.filter((c) => c.id !== 'cloud-load-balancer');
  }
  const order = new Map<string, number>(COMPONENT_CATEGORIES.map((c, i) => [c, i]));
  components.sort(
    (a, b) =>
      order.get(a.category)! - order.get(b.category)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const network = networkFacts(view, components);
  return { components, network, overlaps: findOverlaps(view, components, network) };
}
