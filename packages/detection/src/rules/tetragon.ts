// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const tetragonRule: ComponentRule = {
  id: 'tetragon',
  name: 'Tetragon',
  category: 'threat-detection',
  runtime: [
    { kind: ['DaemonSet'], image: /cilium\/tetragon:/ },
    { kind: ['DaemonSet'], name: /^tetragon$/ },
  ],
  versionFromImage: /tetragon:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'tetragon',
              images: ['quay.io/cilium/tetragon:v1.5.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.5.0',
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
              namespace: 'kube-system',
              name: 'tetragon-operator-docs',
              images: ['example/docs:1'],
            },
          ],
        },
      },
    ],
  },
};
