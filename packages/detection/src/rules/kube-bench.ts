// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kubeBenchRule: ComponentRule = {
  id: 'kube-bench',
  name: 'kube-bench (CIS benchmark)',
  category: 'policy-compliance',
  runtime: [{ kind: ['Job', 'CronJob', 'Pod'], image: /aquasec\/kube-bench:/ }],
  versionFromImage: /kube-bench:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Job',
              namespace: 'default',
              name: 'kube-bench',
              images: ['docker.io/aquasec/kube-bench:v0.11.1'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.11.1',
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
              namespace: 'default',
              name: 'bench',
              images: ['example/bench:1'],
            },
          ],
        },
      },
    ],
  },
};
