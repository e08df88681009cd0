// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kyvernoRule: ComponentRule = {
  id: 'kyverno',
  name: 'Kyverno',
  category: 'policy-compliance',
  runtime: [
    { kind: ['Deployment'], image: /kyverno\/kyverno:/ },
    { kind: ['Deployment'], name: /^kyverno(-admission-controller)?$/ },
  ],
  objects: [{ list: 'customResources', group: /^(kyverno\.io|policies\.kyverno\.io)$/ }],
  api: [
    { crdGroup: /^(kyverno\.io|policies\.kyverno\.io|reports\.kyverno\.io)$/ },
    { webhook: /^kyverno-/ },
  ],
  versionFromImage: /kyverno\/kyverno:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'admission controller',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kyverno',
              name: 'kyverno-admission-controller',
              images: ['reg.kyverno.io/kyverno/kyverno:v1.15.0'],
            },
          ],
        },
        expect: {
          version: '1.15.0',
        },
      },
      {
        name: 'policies without the engine: remnant',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'kyverno.io/v1',
              kind: 'ClusterPolicy',
              name: 'require-labels',
            },
          ],
        },
        expect: {
          status: 'remnant',
        },
      },
    ],
    fail: [
      {
        name: 'kyverno CLI job',
        spec: {
          workloads: [
            {
              kind: 'Job',
              namespace: 'ci',
              name: 'kyverno-cli',
              images: ['ghcr.io/kyverno/kyverno-cli:v1.15.0'],
            },
          ],
        },
      },
    ],
  },
};
