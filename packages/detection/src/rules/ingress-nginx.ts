// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const ingressNginxRule: ComponentRule = {
  id: 'ingress-nginx',
  name: 'ingress-nginx',
  category: 'ingress-gateway',
  runtime: [
    { kind: ['Deployment', 'DaemonSet'], image: /ingress-nginx\/controller:/ },
    { kind: ['Deployment', 'DaemonSet'], name: /^ingress-nginx-controller$/ },
  ],
  support: [{ ingressClassController: /^k8s\.io\/ingress-nginx$/ }],
  versionFromImage: /ingress-nginx\/controller:v?(\d[\w.-]*)/,
  attributes: (ctx): Record<string, string> => {
    const w = ctx.workloads[0];
    if (!w) return {};
    if (w.containers.some((c) => c.ports.some((p) => p.hostPort !== null)))
      return { exposure: 'hostPort' };
    const svc = ctx.snapshot.services.find(
      (s) =>
        s.namespace === w.namespace &&
        (s.type === 'LoadBalancer' || s.type === 'NodePort') &&
        /controller/.test(s.name),
    );
    return svc ? { exposure: svc.type } : {};
  },
  fixtures: {
    pass: [
      {
        name: 'controller',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'ingress-nginx',
              name: 'ingress-nginx-controller',
              images: ['registry.k8s.io/ingress-nginx/controller:v1.15.1@sha256:abc'],
            },
          ],
          services: [
            {
              namespace: 'ingress-nginx',
              name: 'ingress-nginx-controller',
              type: 'LoadBalancer',
            },
          ],
        },
        expect: {
          version: '1.15.1',
          attributes: {
            exposure: 'LoadBalancer',
          },
        },
      },
    ],
    fail: [
      {
        name: 'admission job only',
        spec: {
          workloads: [
            {
              kind: 'Job',
              namespace: 'ingress-nginx',
              name: 'ingress-nginx-admission-create',
              images: ['registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.4'],
            },
          ],
        },
      },
    ],
  },
};
