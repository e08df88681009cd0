// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const weaveNetRule: ComponentRule = {
  id: 'weave-net',
  name: 'Weave Net',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^weave-net$/ },
    { kind: ['DaemonSet'], image: /weaveworks\/weave-kube/ },
  ],
  versionFromImage: /weave-kube:v?(\d[\w.-]*)/,
  attributes: (ctx) => ({
    policyController: ctx.workloads.some((w) =>
      w.containers.some((c) => /weave-npc/.test(c.image) || c.name === 'weave-npc'),
    ),
  }),
  fixtures: {
    pass: [
      {
        name: 'weave-net',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'weave-net',
              images: ['weaveworks/weave-kube:2.8.1', 'weaveworks/weave-npc:2.8.1'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '2.8.1',
        },
      },
    ],
    fail: [
      {
        name: 'unrelated weave name',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'weave-scope-app',
              images: ['weaveworks/scope:1.13'],
            },
          ],
        },
      },
    ],
  },
};
