// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const egressGatewayRule: ComponentRule = {
  id: 'egress-gateway',
  name: 'CNI egress gateway (Calico or Cilium)',
  category: 'egress',
  runtime: [
    { podLabel: ['projectcalico.org/egress-gateway', /.*/] },
    { kind: ['Deployment'], name: /egress-gateway/ },
  ],
  objects: [
    {
      list: 'policyObjects',
      group: /^(cilium\.io|operator\.tigera\.io|projectcalico\.org)$/,
      kind: /^(CiliumEgressGatewayPolicy|EgressGateway|EgressGatewayPolicy)$/,
    },
  ],
  objectsMeanInstalled: true,
  fixtures: {
    pass: [
      {
        name: 'Cilium egress policy',
        spec: {
          objects: [
            {
              list: 'policyObjects',
              apiVersion: 'cilium.io/v2',
              kind: 'CiliumEgressGatewayPolicy',
              name: 'egress-sample',
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
        name: 'a NetworkPolicy',
        spec: {
          objects: [
            {
              list: 'policyObjects',
              apiVersion: 'cilium.io/v2',
              kind: 'CiliumNetworkPolicy',
              name: 'p',
              namespace: 'default',
            },
          ],
        },
      },
    ],
  },
};
