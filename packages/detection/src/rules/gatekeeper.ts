// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const gatekeeperRule: ComponentRule = {
  id: 'gatekeeper',
  name: 'OPA Gatekeeper',
  category: 'policy-compliance',
  runtime: [
    { kind: ['Deployment'], name: /^gatekeeper-(controller-manager|audit)$/ },
    { kind: ['Deployment'], image: /openpolicyagent\/gatekeeper:/ },
  ],
  objects: [{ list: 'customResources', group: /gatekeeper\.sh$/ }],
  api: [{ crdGroup: /gatekeeper\.sh$/ }, { webhook: /^gatekeeper-/ }],
  versionFromImage: /openpolicyagent\/gatekeeper:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'controller',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'gatekeeper-system',
              name: 'gatekeeper-controller-manager',
              images: ['openpolicyagent/gatekeeper:v3.20.0'],
            },
          ],
        },
        expect: {
          version: '3.20.0',
        },
      },
      {
        name: 'templates without the engine: remnant',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'templates.gatekeeper.sh/v1',
              kind: 'ConstraintTemplate',
              name: 'k8srequiredlabels',
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
        name: 'plain OPA',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'opa',
              name: 'opa',
              images: ['openpolicyagent/opa:1.6.0'],
            },
          ],
        },
      },
    ],
  },
};
