// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const sglangRule: ComponentRule = {
  id: 'sglang',
  name: 'SGLang',
  category: 'ai-serving',
  runtime: [{ image: /lmsysorg\/sglang:/ }],
  objects: [
    {
      list: 'customResources',
      group: /^leaderworkerset\.x-k8s\.io$/,
      kind: /^LeaderWorkerSet$/,
      specMatches: /lmsysorg\/sglang:/,
    },
  ],
  objectsMeanInstalled: true,
  versionFromImage: /sglang:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'serving deployment',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'llm',
              name: 'sglang',
              images: ['lmsysorg/sglang:v0.4.9'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.4.9',
        },
      },
      {
        name: 'inside a LeaderWorkerSet',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'leaderworkerset.x-k8s.io/v1',
              kind: 'LeaderWorkerSet',
              name: 'serve',
              namespace: 'llm',
              spec: {
                leaderWorkerTemplate: {
                  workerTemplate: {
                    spec: {
                      containers: [
                        {
                          image: 'lmsysorg/sglang:v0.4.9',
                        },
                      ],
                    },
                  },
                },
              },
            },
          ],
        },
        expect: {
          status: 'installed',
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
              namespace: 'llm',
              name: 'client',
              images: ['example/sglang-docs:1'],
            },
          ],
        },
      },
    ],
  },
};
