// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const cloudLoadBalancerRule: ComponentRule = {
  id: 'cloud-load-balancer',
  name: 'Cloud load balancer (Service type LoadBalancer)',
  category: 'load-balancer',
  support: [{ serviceType: 'LoadBalancer' }],
  supportDecides: true,
  attributes: (ctx) => ({
    services: ctx.snapshot.services.filter((s) => s.type === 'LoadBalancer').length,
  }),
  fixtures: {
    pass: [
      {
        name: 'an LB Service',
        spec: {
          services: [
            {
              namespace: 'shop',
              name: 'web',
              type: 'LoadBalancer',
            },
          ],
        },
        expect: {
          status: 'installed',
          attributes: {
            services: 1,
          },
        },
      },
    ],
    fail: [
      {
        name: 'NodePort only',
        spec: {
          services: [
            {
              namespace: 'shop',
              name: 'web',
              type: 'NodePort',
            },
          ],
        },
      },
    ],
  },
};
