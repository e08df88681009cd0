// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kubeRouterRule: ComponentRule = {
  id: 'kube-router',
  name: 'kube-router',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^kube-router$/ },
    { kind: ['DaemonSet'], image: /cloudnativelabs\/kube-router/ },
  ],
  versionFromImage: /kube-router:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'kube-router',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'kube-router',
              images: ['docker.io/cloudnativelabs/kube-router:v2.4.0'],
            },
          ],
        },
        expect: {
          version: '2.4.0',
        },
      },
    ],
    fail: [
      {
        name: 'a router app',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'router',
              images: ['example/router:1'],
            },
          ],
        },
      },
    ],
  },
};
