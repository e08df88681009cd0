import type { ComponentCategory, PaperSize } from '@plumbline/contracts';

/**
 * The words, enums and bounds shown to people, shared by the app's screens and the PDF report
 * page, so the two cannot drift apart. Types only from the contracts: the contracts' schemas
 * (zod) never reach the browser bundle; `vocabulary.test.ts` compares these copies with the
 * contracts.
 */

/** Paper sizes a report can be printed on. */
export const PAPER_SIZES = ['A4', 'Letter'] as const satisfies readonly PaperSize[];

/** Detected-stack layers in words. */
export const CATEGORY_WORDS: Record<ComponentCategory, string> = {
  cni: 'Pod network (CNI)',
  'service-mesh': 'Service mesh',
  observability: 'Observability',
  'threat-detection': 'Threat detection',
  'policy-compliance': 'Policy and compliance',
  'ingress-gateway': 'Ingress and gateways',
  'load-balancer': 'Load balancing',
  egress: 'Egress',
  'multi-cluster': 'Multi-cluster',
  gitops: 'GitOps',
  identity: 'Identity and certificates',
  virtualization: 'Virtualisation',
  'ai-serving': 'AI model serving',
  'ai-agents': 'AI agent platforms',
};

/** A layer's name; an unknown category (a newer API) is shown as it is. */
export function categoryWords(category: string): string {
  return (CATEGORY_WORDS as Record<string, string>)[category] ?? category;
}
