import {
  COMPONENT_CATEGORIES,
  type ClusterSnapshot,
  type DetectedComponent,
  type DetectionResult,
} from '@plumbline/contracts';
import { networkFacts } from './facts.js';
import { matchRule, workloadPrefilter } from './match.js';
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
  const prefilter = workloadPrefilter(view.workloads, rules);
  let components = rules
    .map((r) => matchRule(r, view, prefilter))
    .filter((c): c is DetectedComponent => c !== null);
  // LoadBalancer Services are served by MetalLB when it runs, not by a cloud.
  if (components.some((c) => c.id === 'metallb' && c.status !== 'remnant')) {
    components = components.filter((c) => c.id !== 'cloud-load-balancer');
  }
  components = gatewayApiInUse(view, components);
  const order = new Map<string, number>(COMPONENT_CATEGORIES.map((c, i) => [c, i]));
  components.sort(
    (a, b) =>
      order.get(a.category)! - order.get(b.category)! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const network = networkFacts(view, components);
  return { components, network, overlaps: findOverlaps(view, components, network) };
}

/**
 * Gateway API controllers by the domain of `GatewayClass.spec.controllerName`: the component that
 * implements it, or an image pattern for implementations without a rule of their own. The classes
 * some implementations create themselves (Istio's `istio`, Cilium's `cilium`) are listed too.
 */
const GATEWAY_CONTROLLERS: readonly {
  controller: RegExp;
  component?: string;
  image?: RegExp;
  builtInClasses?: RegExp;
}[] = [
  { controller: /^traefik\.io\//, component: 'traefik', image: /traefik/ },
  { controller: /^istio\.io\//, component: 'istio', builtInClasses: /^istio(-waypoint|-remote)?$/ },
  { controller: /^io\.cilium\//, component: 'cilium', builtInClasses: /^cilium$/ },
  { controller: /^gateway\.envoyproxy\.io\//, image: /envoyproxy\/gateway/ },
  { controller: /^gateway\.nginx\.org\//, image: /nginx-gateway-fabric/ },
  { controller: /^(konghq\.com|gateway-operator\.konghq\.com)\//, image: /kong/ },
  { controller: /^projectcontour\.io\//, image: /contour/ },
  { controller: /^k8s\.ng?inx\.org|^k8s\.io\/ingress-nginx/, component: 'ingress-nginx' },
];

/**
 * The one notion of "Gateway API installed and in use" (maturity's Edge pillar reads the same
 * component): Gateway API objects are a left-over unless a controller serves them, i.e. a
 * GatewayClass names (spec.controllerName) a controller that runs in the cluster, or a Gateway
 * uses a class a running implementation creates itself. Then the component is installed, with
 * the controller, and `inUse` when a Gateway of a served class exists.
 */
function gatewayApiInUse(
  snapshot: ClusterSnapshot,
  components: DetectedComponent[],
): DetectedComponent[] {
  const gw = components.find((c) => c.id === 'gateway-api');
  if (!gw) return components;
  const running = new Set(components.filter((c) => c.status !== 'remnant').map((c) => c.id));
  const served = (entry: (typeof GATEWAY_CONTROLLERS)[number]) =>
    (entry.component !== undefined && running.has(entry.component as DetectedComponent['id'])) ||
    (entry.image !== undefined &&
      snapshot.workloads.some((w) => w.containers.some((c) => entry.image!.test(c.image))));
  const classes = new Map<string, string>();
  const evidence: DetectedComponent['evidence'] = [];
  for (const o of snapshot.gatewayApi.filter((x) => x.kind === 'GatewayClass')) {
    const name = (o.spec as { controllerName?: unknown } | null)?.controllerName;
    if (typeof name !== 'string') continue;
    const entry = GATEWAY_CONTROLLERS.find((e) => e.controller.test(name));
    if (entry && served(entry)) {
      classes.set(o.name, name);
      evidence.push({ ref: `GatewayClass ${o.name} controllerName ${name}`, signal: 'config' });
    }
  }
  const gateways = snapshot.gatewayApi.filter((x) => x.kind === 'Gateway');
  const classOf = (g: (typeof gateways)[number]) =>
    (g.spec as { gatewayClassName?: unknown } | null)?.gatewayClassName;
  for (const g of gateways) {
    const cls = classOf(g);
    if (typeof cls !== 'string' || classes.has(cls)) continue;
    const entry = GATEWAY_CONTROLLERS.find((e) => e.builtInClasses?.test(cls) && served(e));
    if (entry) {
      classes.set(cls, entry.component ?? cls);
      evidence.push({
        ref: `Gateway ${g.namespace}/${g.name} class ${cls} (built in)`,
        signal: 'config',
      });
    }
  }
  if (!classes.size) return components;
  const inUse = gateways.filter((g) => classes.has(String(classOf(g)))).length;
  const updated: DetectedComponent = {
    ...gw,
    status: 'installed',
    confidence: 'high',
    attributes: {
      ...gw.attributes,
      controller: [...new Set(classes.values())].sort().join(','),
      inUse: inUse > 0,
    },
    evidence: [...gw.evidence, ...evidence],
  };
  return components.map((c) => (c === gw ? updated : c));
}
