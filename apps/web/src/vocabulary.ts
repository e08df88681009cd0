import type { ComponentCategory, PaperSize, RoadmapPhaseView } from '@plumbline/contracts';

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

/** A phase of a plan's 30/60/90-day roadmap, as the roadmap screen and the PDF report name it. */
export function phaseWords(byDay: RoadmapPhaseView['byDay']): string {
  return byDay === null ? 'After 90 days' : `By day ${byDay}`;
}

/** Hours as people say them: "29.5 hours", "1 hour". */
export function hoursWords(hours: number): string {
  const n = Number(hours.toFixed(2));
  return `${n.toLocaleString('en-US')} ${n === 1 ? 'hour' : 'hours'}`;
}
