// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const istioEgressGatewayRule: ComponentRule = {
  id: 'istio-egress-gateway',
  name: 'Istio egress gateway',
  category: 'egress',
  runtime: [
    { podLabel: ['istio', /^egressgateway$/] },
    { kind: ['Deployment'], name: /^istio-egressgateway/ },
  ],
  versionFromImage: /istio\/proxyv2:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'egress gateway',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'istio-system',
              name: 'istio-egressgateway',
              images: ['docker.io/istio/proxyv2:1.28.0'],
              podLabels: {
                istio: 'egressgateway',
              },
            },
          ],
        },
      },
    ],
    fail: [
      {
        name: 'ingress gateway',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'istio-system',
              name: 'istio-ingressgateway',
              images: ['docker.io/istio/proxyv2:1.28.0'],
              podLabels: {
                istio: 'ingressgateway',
              },
            },
          ],
        },
      },
    ],
  },
};
