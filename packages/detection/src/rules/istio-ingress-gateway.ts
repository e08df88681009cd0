// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const istioIngressGatewayRule: ComponentRule = {
  id: 'istio-ingress-gateway',
  name: 'Istio ingress gateway',
  category: 'ingress-gateway',
  runtime: [
    { podLabel: ['istio', /^ingressgateway$/] },
    { kind: ['Deployment'], name: /^istio-ingressgateway/ },
  ],
  versionFromImage: /istio\/proxyv2:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'gateway',
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
        expect: {
          version: '1.28.0',
        },
      },
    ],
    fail: [
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
  },
};
