// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const spireRule: ComponentRule = {
  id: 'spire',
  name: 'SPIRE',
  category: 'identity',
  runtime: [{ image: /spire-(server|agent):/ }, { name: /^spire-(server|agent)$/ }],
  versionFromImage: /spire-(?:server|agent):v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'StatefulSet',
              namespace: 'spire',
              name: 'spire-server',
              images: ['ghcr.io/spiffe/spire-server:1.13.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.13.0',
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
              name: 'spiral',
              images: ['example/spiral:1'],
            },
          ],
        },
      },
    ],
  },
};
