// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const gatewayApiRule: ComponentRule = {
  id: 'gateway-api',
  name: 'Gateway API',
  category: 'ingress-gateway',
  objects: [{ list: 'gatewayApi', group: /^gateway\.networking\.(x-)?k8s\.io$/ }],
  api: [{ crdGroup: /^gateway\.networking\.(x-)?k8s\.io$/ }],
  attributes: (ctx) => {
    const classes = ctx.snapshot.gatewayApi.filter((o) => o.kind === 'GatewayClass');
    return {
      gateways: ctx.snapshot.gatewayApi.filter((o) => o.kind === 'Gateway').length,
      routes: ctx.snapshot.gatewayApi.filter((o) => /Route$/.test(o.kind)).length,
      gatewayClasses: classes.length,
    };
  },
  fixtures: {
    pass: [
      {
        name: 'a Gateway with no implementation seen',
        spec: {
          objects: [
            {
              list: 'gatewayApi',
              apiVersion: 'gateway.networking.k8s.io/v1',
              kind: 'Gateway',
              name: 'web',
              namespace: 'shop',
            },
          ],
        },
        expect: {
          status: 'remnant',
          attributes: {
            gateways: 1,
            routes: 0,
            gatewayClasses: 0,
          },
        },
      },
      {
        name: 'CRDs only',
        spec: {
          crds: ['gateway.networking.k8s.io/Gateway'],
        },
        expect: {
          status: 'remnant',
        },
      },
    ],
    fail: [
      {
        name: 'an Istio Gateway is not Gateway API',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'networking.istio.io/v1',
              kind: 'Gateway',
              name: 'g',
            },
          ],
        },
      },
    ],
  },
};
