// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const vllmRule: ComponentRule = {
  id: 'vllm',
  name: 'vLLM',
  category: 'ai-serving',
  runtime: [{ image: /vllm\/vllm-openai|(^|\/)vllm:/ }],
  objects: [
    {
      list: 'customResources',
      group: /^leaderworkerset\.x-k8s\.io$/,
      kind: /^LeaderWorkerSet$/,
      specMatches: /vllm\/vllm-openai|(^|\/)vllm:/,
    },
  ],
  objectsMeanInstalled: true,
  versionFromImage: /vllm(?:-openai)?:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'serving deployment',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'llm',
              name: 'vllm',
              images: ['vllm/vllm-openai:v0.8.5'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.8.5',
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
                          image: 'vllm/vllm-openai:v0.8.5',
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
              images: ['example/vllm-benchmark-client:1'],
            },
          ],
        },
      },
    ],
  },
};
