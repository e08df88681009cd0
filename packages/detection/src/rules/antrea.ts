// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const antreaRule: ComponentRule = {
  id: 'antrea',
  name: 'Antrea',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^antrea-agent$/ },
    { kind: ['Deployment'], name: /^antrea-controller$/ },
  ],
  api: [{ crdGroup: /^crd\.antrea\.io$/ }],
  versionFromImage: /antrea\/antrea-[a-z-]+:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'antrea agent',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'antrea-agent',
              images: ['antrea/antrea-agent-ubuntu:v2.2.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '2.2.0',
        },
      },
    ],
    fail: [
      {
        name: 'unrelated',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'agent',
              images: ['example/agent:1'],
            },
          ],
        },
      },
    ],
  },
};
