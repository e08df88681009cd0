// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const linkerdMulticlusterRule: ComponentRule = {
  id: 'linkerd-multicluster',
  name: 'Linkerd multicluster',
  category: 'multi-cluster',
  runtime: [
    { kind: ['Deployment'], name: /^linkerd-gateway$/ },
    { namespace: /^linkerd-multicluster$/ },
  ],
  objects: [{ list: 'customResources', group: /^multicluster\.linkerd\.io$/, kind: /^Link$/ }],
  api: [{ crdGroup: /^multicluster\.linkerd\.io$/ }],
  fixtures: {
    pass: [
      {
        name: 'gateway',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'linkerd-multicluster',
              name: 'linkerd-gateway',
              images: ['cr.l5d.io/linkerd/proxy:edge-25.1.1'],
            },
          ],
        },
      },
    ],
    fail: [
      {
        name: 'linkerd core',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'linkerd',
              name: 'linkerd-destination',
              images: ['cr.l5d.io/linkerd/controller:edge-25.1.1'],
            },
          ],
        },
      },
    ],
  },
};
