// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const traefikRule: ComponentRule = {
  id: 'traefik',
  name: 'Traefik',
  category: 'ingress-gateway',
  runtime: [{ kind: ['Deployment', 'DaemonSet'], image: /(^|\/)traefik:/ }],
  api: [{ crdGroup: /^traefik\.(io|containo\.us)$/ }],
  support: [{ ingressClassController: /^traefik\.io\/ingress-controller$/ }],
  versionFromImage: /traefik:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'traefik',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'traefik',
              name: 'traefik',
              images: ['docker.io/traefik:v3.5.0'],
            },
          ],
        },
        expect: {
          version: '3.5.0',
        },
      },
    ],
    fail: [
      {
        name: 'traefik whoami demo',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'whoami',
              images: ['traefik/whoami:v1.10'],
            },
          ],
        },
      },
    ],
  },
};
