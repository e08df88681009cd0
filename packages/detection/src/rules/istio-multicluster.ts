// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const istioMulticlusterRule: ComponentRule = {
  id: 'istio-multicluster',
  name: 'Istio multi-cluster (east-west gateway)',
  category: 'multi-cluster',
  runtime: [
    { podLabel: ['istio', /^eastwestgateway$/] },
    { kind: ['Deployment'], name: /^istio-eastwestgateway$/ },
  ],
  objects: [
    {
      list: 'customResources',
      group: /^networking\.istio\.io$/,
      kind: /^Gateway$/,
      name: /(cross-network|istiod-gateway|eastwest)/,
    },
  ],
  objectsMeanInstalled: true,
  fixtures: {
    pass: [
      {
        name: 'cross-network gateway',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'networking.istio.io/v1',
              kind: 'Gateway',
              name: 'cross-network-gateway',
              namespace: 'istio-system',
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
        name: 'an app gateway',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'networking.istio.io/v1',
              kind: 'Gateway',
              name: 'bookinfo-gateway',
              namespace: 'default',
            },
          ],
        },
      },
    ],
  },
};
