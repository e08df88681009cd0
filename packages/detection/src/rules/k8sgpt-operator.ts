// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const k8sgptOperatorRule: ComponentRule = {
  id: 'k8sgpt-operator',
  name: 'k8sgpt-operator',
  category: 'ai-agents',
  runtime: [
    { kind: ['Deployment'], image: /k8sgpt-ai\/k8sgpt-operator/ },
    { kind: ['Deployment'], name: /k8sgpt-operator-controller-manager$/ },
  ],
  objects: [{ list: 'customResources', group: /^core\.k8sgpt\.ai$/ }],
  api: [{ crdGroup: /^core\.k8sgpt\.ai$/ }],
  versionFromImage: /k8sgpt-operator:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'operator',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'k8sgpt-operator-system',
              name: 'k8sgpt-operator-controller-manager',
              images: ['ghcr.io/k8sgpt-ai/k8sgpt-operator:v0.2.22'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.2.22',
        },
      },
    ],
    fail: [
      {
        name: 'k8sgpt CLI',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kagent',
              name: 'k8sgpt-mcp-server',
              images: ['ghcr.io/k8sgpt-ai/k8sgpt:v0.4.1'],
            },
          ],
        },
      },
    ],
  },
};
