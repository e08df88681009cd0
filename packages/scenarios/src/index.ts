export { generateCluster } from './generate.js';
export { createRng } from './prng.js';
export type { Rng } from './prng.js';
export type {
  AgentPlatform,
  Cni,
  GeneratedCluster,
  IngressStack,
  KubeObject,
  Mesh,
  ObjectMeta,
  Observability,
  OwnerReference,
  PolicyEngine,
  Provider,
  ScenarioOptions,
  StackChoice,
} from './types.js';
