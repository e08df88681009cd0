// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kindnetRule: ComponentRule = {
  id: 'kindnet',
  name: 'kindnet',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^kindnet$/ },
    { kind: ['DaemonSet'], image: /kindnetd/ },
  ],
  versionFromImage: /kindnetd:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'kindnet',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'kindnet',
              images: ['docker.io/kindest/kindnetd:v20250214-acbabc1a'],
            },
          ],
        },
        expect: {
          version: '20250214-acbabc1a',
        },
      },
    ],
    fail: [
      {
        name: 'kind-named app',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'kindness',
              images: ['example/kind:1'],
            },
          ],
        },
      },
    ],
  },
};
