// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const leaderworkersetRule: ComponentRule = {
  id: 'leaderworkerset',
  name: 'LeaderWorkerSet',
  category: 'ai-serving',
  runtime: [{ kind: ['Deployment'], name: /^lws-controller-manager$/ }, { image: /lws\/lws:/ }],
  objects: [
    { list: 'customResources', group: /^leaderworkerset\.x-k8s\.io$/, kind: /^LeaderWorkerSet$/ },
  ],
  api: [{ crdGroup: /^leaderworkerset\.x-k8s\.io$/ }],
  objectsMeanInstalled: true,
  versionFromImage: /lws\/lws:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'LeaderWorkerSets in use',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'leaderworkerset.x-k8s.io/v1',
              kind: 'LeaderWorkerSet',
              name: 'vllm',
              namespace: 'default',
            },
          ],
        },
        expect: {
          status: 'installed',
        },
      },
      {
        name: 'controller',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'lws-system',
              name: 'lws-controller-manager',
              images: ['registry.k8s.io/lws/lws:v0.6.2'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.6.2',
        },
      },
    ],
    fail: [
      {
        name: 'a StatefulSet',
        spec: {
          workloads: [
            {
              kind: 'StatefulSet',
              namespace: 'default',
              name: 'leader',
              images: ['example/leader:1'],
            },
          ],
        },
      },
    ],
  },
};
