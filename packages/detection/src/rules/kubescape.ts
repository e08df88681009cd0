// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kubescapeRule: ComponentRule = {
  id: 'kubescape',
  name: 'Kubescape',
  category: 'policy-compliance',
  runtime: [{ image: /kubescape\/(kubescape|operator|kubevuln|storage|synchronizer|node-agent)/ }],
  api: [{ crdGroup: /(^|\.)kubescape\.(io|cloud)$/ }],
  versionFromImage: /kubescape\/kubescape:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kubescape',
              name: 'kubescape',
              images: ['quay.io/kubescape/kubescape:v3.0.40'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '3.0.40',
        },
      },
    ],
    fail: [
      {
        name: 'look-alike',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'scape',
              images: ['example/scape:1'],
            },
          ],
        },
      },
    ],
  },
};
