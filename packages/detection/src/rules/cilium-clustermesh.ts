// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const ciliumClustermeshRule: ComponentRule = {
  id: 'cilium-clustermesh',
  name: 'Cilium ClusterMesh',
  category: 'multi-cluster',
  runtime: [{ kind: ['Deployment'], name: /^clustermesh-apiserver$/ }],
  support: [
    { serviceAnnotation: ['io.cilium/global-service', /^true$/] },
    { serviceAnnotation: ['service.cilium.io/global', /^true$/] },
  ],
  supportDecides: true,
  fixtures: {
    pass: [
      {
        name: 'global service',
        spec: {
          services: [
            {
              namespace: 'default',
              name: 'rebel-base',
              type: 'ClusterIP',
              annotations: {
                'io.cilium/global-service': 'true',
              },
            },
          ],
        },
        expect: {
          status: 'installed',
        },
      },
      {
        name: 'clustermesh-apiserver',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kube-system',
              name: 'clustermesh-apiserver',
              images: ['quay.io/cilium/clustermesh-apiserver:v1.17.0'],
            },
          ],
        },
      },
    ],
    fail: [
      {
        name: 'plain service',
        spec: {
          services: [
            {
              namespace: 'default',
              name: 'web',
              type: 'ClusterIP',
            },
          ],
        },
      },
    ],
  },
};
