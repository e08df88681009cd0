// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const llamaCppRule: ComponentRule = {
  id: 'llama-cpp',
  name: 'llama.cpp server',
  category: 'ai-serving',
  runtime: [{ image: /(llama\.cpp|llamacpp|llama-cpp)/ }],
  objects: [
    {
      list: 'customResources',
      group: /^leaderworkerset\.x-k8s\.io$/,
      kind: /^LeaderWorkerSet$/,
      specMatches: /(llama\.cpp|llamacpp|llama-cpp)/,
    },
  ],
  objectsMeanInstalled: true,
  versionFromImage: /llama\.cpp:(?:server-|full-)?(b?\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'serving deployment',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'llm',
              name: 'llama-cpp',
              images: ['ghcr.io/ggml-org/llama.cpp:server-b5000'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: 'b5000',
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
                          image: 'ghcr.io/ggml-org/llama.cpp:server-b5000',
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
              images: ['example/llama-index-app:1'],
            },
          ],
        },
      },
    ],
  },
};
