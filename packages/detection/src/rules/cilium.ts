// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const ciliumRule: ComponentRule = {
  id: 'cilium',
  name: 'Cilium',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^(cilium|anetd)$/ },
    { kind: ['DaemonSet'], podLabel: ['k8s-app', /^cilium$/] },
  ],
  api: [{ crdGroup: /^cilium\.io$/ }],
  versionFromImage: /cilium\/cilium:v?(\d[\w.-]*)/,
  attributes: (ctx): Record<string, string> =>
    ctx.workloads.some((w) => w.name === 'anetd') ? { variant: 'gke-dataplane-v2' } : {},
  fixtures: {
    pass: [
      {
        name: 'cilium agent',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'cilium',
              images: ['quay.io/cilium/cilium:v1.8.0-rc2'],
              podLabels: {
                'k8s-app': 'cilium',
              },
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.8.0-rc2',
        },
      },
      {
        name: 'GKE Dataplane V2',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'anetd',
              images: ['gke.gcr.io/cilium/cilium:v1.14'],
              podLabels: {
                'k8s-app': 'cilium',
              },
            },
          ],
        },
        expect: {
          attributes: {
            variant: 'gke-dataplane-v2',
          },
        },
      },
    ],
    fail: [
      {
        name: 'cilium-operator only',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kube-system',
              name: 'cilium-operator',
              images: ['quay.io/cilium/operator-generic:v1.15.0'],
            },
          ],
        },
      },
    ],
  },
};
