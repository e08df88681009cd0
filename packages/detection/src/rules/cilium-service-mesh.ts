// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const ciliumServiceMeshRule: ComponentRule = {
  id: 'cilium-service-mesh',
  name: 'Cilium service mesh (Envoy)',
  category: 'service-mesh',
  runtime: [{ kind: ['DaemonSet'], name: /^cilium-envoy$/ }],
  objects: [{ list: 'customResources', group: /^cilium\.io$/, kind: /EnvoyConfig$/ }],
  versionFromImage: /cilium-envoy:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'cilium-envoy',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'cilium-envoy',
              images: ['quay.io/cilium/cilium-envoy:v1.32.5'],
            },
          ],
        },
      },
    ],
    fail: [
      {
        name: 'istio envoy sidecar image',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'web',
              images: ['docker.io/istio/proxyv2:1.28.0'],
            },
          ],
        },
      },
    ],
  },
};
