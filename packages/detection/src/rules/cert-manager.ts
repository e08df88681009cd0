// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const certManagerRule: ComponentRule = {
  id: 'cert-manager',
  name: 'cert-manager',
  category: 'identity',
  runtime: [
    {
      kind: ['Deployment'],
      image:
        /(jetstack\/cert-manager-controller|cert-manager-controller|jetstack\/cert-manager-webhook):/,
    },
    { kind: ['Deployment'], name: /^cert-manager$/ },
  ],
  api: [{ crdGroup: /^(cert-manager\.io|acme\.cert-manager\.io)$/ }],
  versionFromImage: /cert-manager-controller:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'cert-manager',
              name: 'cert-manager',
              images: ['quay.io/jetstack/cert-manager-controller:v1.20.3'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.20.3',
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
              namespace: 'default',
              name: 'cert-checker',
              images: ['example/cert:1'],
            },
          ],
        },
      },
    ],
  },
};
