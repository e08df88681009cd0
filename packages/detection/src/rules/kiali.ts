// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kialiRule: ComponentRule = {
  id: 'kiali',
  name: 'Kiali',
  category: 'observability',
  runtime: [{ image: /kiali\/kiali:/ }],
  versionFromImage: /kiali\/kiali:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'istio-system',
              name: 'kiali',
              images: ['quay.io/kiali/kiali:v2.13'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '2.13',
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
              namespace: 'istio-system',
              name: 'kiali-operator-docs',
              images: ['example/docs:1'],
            },
          ],
        },
      },
    ],
  },
};
