// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const hubbleRule: ComponentRule = {
  id: 'hubble',
  name: 'Hubble (Cilium flow visibility)',
  category: 'observability',
  runtime: [
    { kind: ['Deployment'], name: /^hubble-(relay|ui)$/ },
    { image: /cilium\/hubble-(relay|ui)/ },
  ],
  support: [{ configMapKey: [/^cilium-config$/, /^enable-hubble$/, /^true$/] }],
  supportDecides: true,
  versionFromImage: /hubble-relay:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'hubble relay',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kube-system',
              name: 'hubble-relay',
              images: ['quay.io/cilium/hubble-relay:v1.17.0'],
            },
          ],
        },
        expect: {
          version: '1.17.0',
        },
      },
      {
        name: 'enabled in cilium-config',
        spec: {
          configMaps: [
            {
              namespace: 'kube-system',
              name: 'cilium-config',
              data: {
                'enable-hubble': 'true',
              },
            },
          ],
        },
        expect: {
          status: 'installed',
        },
      },
    ],
    fail: [
      {
        name: 'disabled in cilium-config',
        spec: {
          configMaps: [
            {
              namespace: 'kube-system',
              name: 'cilium-config',
              data: {
                'enable-hubble': 'false',
              },
            },
          ],
        },
      },
    ],
  },
};
