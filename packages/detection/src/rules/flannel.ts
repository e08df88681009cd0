// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const flannelRule: ComponentRule = {
  id: 'flannel',
  name: 'Flannel',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^kube-flannel-ds/ },
    { kind: ['DaemonSet'], podLabel: ['app', /^flannel$/] },
  ],
  versionFromImage: /flannel(?:-io)?\/flannel:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'kube-flannel-ds',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-flannel',
              name: 'kube-flannel-ds',
              images: ['ghcr.io/flannel-io/flannel:v0.26.1'],
              podLabels: {
                app: 'flannel',
              },
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.26.1',
        },
      },
      {
        name: 'old amd64 name',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'kube-flannel-ds-amd64',
              images: ['quay.io/coreos/flannel:v0.11.0'],
            },
          ],
        },
      },
    ],
    fail: [
      {
        name: 'canal contains a flannel container',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'canal',
              images: ['quay.io/calico/node:v3.31.0', 'flannel/flannel:v0.24.4'],
              podLabels: {
                'k8s-app': 'canal',
              },
            },
          ],
        },
      },
    ],
  },
};
