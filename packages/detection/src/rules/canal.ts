// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const canalRule: ComponentRule = {
  id: 'canal',
  name: 'Canal (Flannel networking + Calico policy)',
  category: 'cni',
  runtime: [{ kind: ['DaemonSet'], name: /^canal$/ }],
  versionFromImage: /calico\/node:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'canal DaemonSet',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'canal',
              images: ['quay.io/calico/node:v3.31.0', 'flannel/flannel:v0.24.4'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '3.31.0',
        },
      },
    ],
    fail: [
      {
        name: 'calico-node',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'calico-node',
              images: ['quay.io/calico/node:v3.31.0'],
            },
          ],
        },
      },
    ],
  },
};
