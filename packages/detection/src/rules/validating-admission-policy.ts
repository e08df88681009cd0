// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const validatingAdmissionPolicyRule: ComponentRule = {
  id: 'validating-admission-policy',
  name: 'ValidatingAdmissionPolicy (built in)',
  category: 'policy-compliance',
  objects: [
    {
      list: 'customResources',
      group: /^admissionregistration\.k8s\.io$/,
      kind: /^ValidatingAdmissionPolicy$/,
    },
  ],
  objectsMeanInstalled: true,
  fixtures: {
    pass: [
      {
        name: 'a policy',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'admissionregistration.k8s.io/v1',
              kind: 'ValidatingAdmissionPolicy',
              name: 'max-replicas',
            },
          ],
        },
        expect: {
          status: 'installed',
        },
      },
    ],
    fail: [
      {
        name: 'only a binding',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'admissionregistration.k8s.io/v1',
              kind: 'ValidatingAdmissionPolicyBinding',
              name: 'b',
            },
          ],
        },
      },
    ],
  },
};
