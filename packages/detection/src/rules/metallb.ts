// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const metallbRule: ComponentRule = {
  id: 'metallb',
  name: 'MetalLB',
  category: 'load-balancer',
  runtime: [
    { image: /metallb\/(controller|speaker):/ },
    { namespace: /^metallb-system$/, name: /^(controller|speaker)$/ },
  ],
  api: [{ crdGroup: /^metallb\.io$/ }],
  versionFromImage: /metallb\/(?:controller|speaker):v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'metallb-system',
              name: 'speaker',
              images: ['quay.io/metallb/speaker:v0.15.2'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.15.2',
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
              name: 'controller',
              images: ['example/controller:1'],
            },
          ],
        },
      },
    ],
  },
};
