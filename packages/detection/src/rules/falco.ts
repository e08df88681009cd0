// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const falcoRule: ComponentRule = {
  id: 'falco',
  name: 'Falco',
  category: 'threat-detection',
  runtime: [
    { kind: ['DaemonSet'], image: /falcosecurity\/falco(-no-driver|-distroless)?:/ },
    { kind: ['DaemonSet'], name: /^falco$/ },
  ],
  versionFromImage: /falcosecurity\/falco(?:-no-driver|-distroless)?:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'falco',
              name: 'falco',
              images: ['docker.io/falcosecurity/falco:0.41.3'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.41.3',
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
              namespace: 'falco',
              name: 'falcosidekick',
              images: ['docker.io/falcosecurity/falcosidekick:2.31.1'],
            },
          ],
        },
      },
    ],
  },
};
