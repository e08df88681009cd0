// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';
import { calicoBackend } from '../facts.js';

export const calicoRule: ComponentRule = {
  id: 'calico',
  name: 'Calico',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^calico-node$/ },
    { kind: ['Deployment'], name: /^tigera-operator$/, image: /tigera\/operator/ },
  ],
  objects: [{ list: 'customResources', group: /^operator\.tigera\.io$/, kind: /^Installation$/ }],
  api: [{ crdGroup: /^(crd\.)?projectcalico\.org$/ }, { crdGroup: /^operator\.tigera\.io$/ }],
  versionFromImage: /calico\/node:v?(\d[\w.-]*)/,
  attributes: (ctx) => {
    const operator =
      ctx.workloads.some((w) => w.name === 'tigera-operator') ||
      ctx.snapshot.config.customResources.some((o) => o.kind === 'Installation');
    if (operator) return { install: 'operator' };
    const node = ctx.workloads.find((w) => w.name === 'calico-node');
    return {
      install: node && calicoBackend(ctx.snapshot, node) === 'none' ? 'policy-only' : 'manifest',
    };
  },
  fixtures: {
    pass: [
      {
        name: 'manifest install',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'calico-node',
              images: ['quay.io/calico/node:v3.31.0'],
              env: {
                CALICO_NETWORKING_BACKEND: 'bird',
              },
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '3.31.0',
          attributes: {
            install: 'manifest',
          },
        },
      },
      {
        name: 'policy-only',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'calico-node',
              images: ['quay.io/calico/node:v3.31.0'],
              env: {
                CALICO_NETWORKING_BACKEND: 'none',
              },
            },
          ],
        },
        expect: {
          attributes: {
            install: 'policy-only',
          },
        },
      },
      {
        name: 'operator install',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'tigera-operator',
              name: 'tigera-operator',
              images: ['quay.io/tigera/operator:v1.38.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          attributes: {
            install: 'operator',
          },
        },
      },
      {
        name: 'CRDs only: remnant',
        spec: {
          crds: ['crd.projectcalico.org/FelixConfiguration'],
        },
        expect: {
          status: 'remnant',
          confidence: 'low',
        },
      },
    ],
    fail: [
      {
        name: 'canal is not Calico',
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
      },
      {
        name: 'calico-kube-controllers alone',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kube-system',
              name: 'calico-kube-controllers',
              images: ['quay.io/calico/kube-controllers:v3.31.0'],
            },
          ],
        },
      },
    ],
  },
};
