// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const fluxRule: ComponentRule = {
  id: 'flux',
  name: 'Flux',
  category: 'gitops',
  runtime: [{ image: /fluxcd\/(source|kustomize|helm|notification|image-[a-z]+)-controller:/ }],
  api: [{ crdGroup: /\.toolkit\.fluxcd\.io$/ }],
  versionFromImage: /fluxcd\/source-controller:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'flux-system',
              name: 'source-controller',
              images: ['ghcr.io/fluxcd/source-controller:v1.6.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.6.0',
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
              name: 'flux-capacitor',
              images: ['example/flux:1'],
            },
          ],
        },
      },
    ],
  },
};
