// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const trivyOperatorRule: ComponentRule = {
  id: 'trivy-operator',
  name: 'Trivy Operator',
  category: 'policy-compliance',
  runtime: [
    { kind: ['Deployment'], image: /aquasec(urity)?\/trivy-operator:/ },
    { kind: ['Deployment'], name: /^trivy-operator$/ },
  ],
  api: [{ crdGroup: /^aquasecurity\.github\.io$/ }],
  versionFromImage: /trivy-operator:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'trivy-system',
              name: 'trivy-operator',
              images: ['mirror.gcr.io/aquasec/trivy-operator:0.28.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.28.0',
        },
      },
    ],
    fail: [
      {
        name: 'look-alike',
        spec: {
          workloads: [
            {
              kind: 'Job',
              namespace: 'ci',
              name: 'trivy-scan',
              images: ['aquasec/trivy:0.65.0'],
            },
          ],
        },
      },
    ],
  },
};
