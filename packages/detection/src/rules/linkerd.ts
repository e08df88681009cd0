// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const linkerdRule: ComponentRule = {
  id: 'linkerd',
  name: 'Linkerd',
  category: 'service-mesh',
  runtime: [
    { kind: ['Deployment'], name: /^linkerd-(destination|identity|proxy-injector)$/ },
    { kind: ['Deployment'], image: /cr\.l5d\.io\/linkerd\/controller/ },
  ],
  api: [{ crdGroup: /^(policy\.|workload\.)?linkerd\.io$/ }, { webhook: /^linkerd-/ }],
  versionFromImage: /cr\.l5d\.io\/linkerd\/(?:controller|proxy):(?:edge-|stable-)?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'linkerd control plane',
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
        expect: {
          version: '25.1.1',
        },
      },
    ],
    fail: [
      {
        name: 'an app named linkerd-demo',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'linkerd-demo',
              images: ['example/demo:1'],
            },
          ],
        },
      },
    ],
  },
};
