import type {
  ClusterSnapshot,
  ComponentCategory,
  ComponentId,
  DetectedComponent,
  Workload,
  WorkloadKind,
} from '@plumbline/contracts';

/**
 * A component rule is data: which signals show the component, how strongly, and fixtures that
 * must and must not match. The matcher (match.ts) is the only code that interprets rules.
 *
 * Signal strength follows the methodology: CRD API groups, then workload name + namespace, then
 * image, then labels/webhooks. A running workload makes a component `installed` (or `partial`
 * when named parts of it are missing); API definitions (CRDs, webhooks, API services) or API
 * objects (policies, VMs, agent CRs) without any workload make it a `remnant`, unless the rule
 * says its objects mean installed (built-in APIs, operator-managed resources).
 */

/** A workload matching every given field. */
export interface WorkloadSignal {
  kind?: readonly WorkloadKind[];
  name?: RegExp;
  namespace?: RegExp;
  /** Matches any container image of the workload. */
  image?: RegExp;
  /** A pod-template label key (and value pattern). */
  podLabel?: readonly [string, RegExp];
  /** A container env var name (and value pattern); for values, only allowlisted ones are seen. */
  env?: readonly [RegExp, RegExp?];
  /**
   * An injected sidecar: a (non-init) container with this name next to at least one other
   * container, so the workload runs inside the mesh (a gateway proxy alone is not a sidecar).
   */
  sidecar?: RegExp;
}

export type ApiSignal = { crdGroup: RegExp } | { apiServiceGroup: RegExp } | { webhook: RegExp };

export type ObjectSignal =
  | {
      list: 'customResources' | 'policyObjects' | 'gatewayApi';
      group: RegExp;
      kind?: RegExp;
      name?: RegExp;
      /** Matches the object's spec, serialised as JSON (e.g. an image inside a template). */
      specMatches?: RegExp;
    }
  | { list: 'virtualMachines' };

export type SupportSignal =
  | { namespace: RegExp }
  | { namespaceLabel: readonly [string, RegExp] }
  | { configMap: RegExp }
  | { ingressClassController: RegExp }
  | { serviceType: string }
  /** A kept ConfigMap value: [ConfigMap name, key, value]. */
  | { configMapKey: readonly [RegExp, RegExp, RegExp] }
  /** A Service annotation: [key, value]. */
  | { serviceAnnotation: readonly [string, RegExp] };

export interface MatchContext {
  snapshot: ClusterSnapshot;
  /** Workloads that matched a runtime signal of this rule. */
  workloads: Workload[];
}

export interface FixtureSpec {
  workloads?: {
    kind: WorkloadKind;
    namespace: string;
    name: string;
    images?: string[];
    podLabels?: Record<string, string>;
    podAnnotations?: Record<string, string>;
    env?: Record<string, string>;
    args?: string[];
    /** Container names, in the order of `images` (default c0, c1...). */
    containers?: string[];
  }[];
  crds?: string[]; // `group/Kind`
  apiServices?: string[]; // group
  webhooks?: string[]; // webhook configuration names
  namespaces?: { name: string; labels?: Record<string, string> }[];
  objects?: {
    list: 'customResources' | 'policyObjects' | 'gatewayApi';
    apiVersion: string;
    kind: string;
    name: string;
    namespace?: string;
    spec?: Record<string, unknown>;
  }[];
  virtualMachines?: { namespace: string; name: string }[];
  configMaps?: { namespace: string; name: string; data: Record<string, string> }[];
  ingressClasses?: { name: string; controller: string }[];
  services?: {
    namespace: string;
    name: string;
    type: string;
    annotations?: Record<string, string>;
  }[];
}

export interface RuleFixture {
  name: string;
  spec: FixtureSpec;
  /** For pass fixtures: what the detection must report. */
  expect?: Partial<Pick<DetectedComponent, 'status' | 'version' | 'confidence'>> & {
    attributes?: Record<string, string | boolean | number>;
  };
}

export interface ComponentRule {
  id: ComponentId;
  name: string;
  category: ComponentCategory;
  /** Running workloads: any match makes the component installed. */
  runtime?: readonly WorkloadSignal[];
  /** API objects in use (custom resources, policies, Gateway API objects). */
  objects?: readonly ObjectSignal[];
  /** Objects in use mean it is installed: built into Kubernetes (Gateway API, admission
   *  policies) or run by a controller seen elsewhere (operator-managed Prometheus). */
  objectsMeanInstalled?: boolean;
  /** API definitions: alone they make a remnant. */
  api?: readonly ApiSignal[];
  /** Supporting signals: raise confidence, never decide on their own... */
  support?: readonly SupportSignal[];
  /** ...unless this is set (e.g. Pod Security Admission, cloud load balancers). */
  supportDecides?: boolean;
  /** Named parts of an install; when some are missing the component is `partial`. */
  parts?: readonly { name: string; signal: WorkloadSignal }[];
  /** Version from the first matching runtime image: the first capture group of this pattern. */
  versionFromImage?: RegExp;
  /** Variant details computed from what matched. */
  attributes?: (ctx: MatchContext) => Record<string, string | boolean | number>;
  fixtures: { pass: readonly RuleFixture[]; fail: readonly RuleFixture[] };
}
