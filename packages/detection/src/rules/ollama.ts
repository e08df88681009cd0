// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const ollamaRule: ComponentRule = {
  id: 'ollama',
  name: 'Ollama',
  category: 'ai-serving',
  runtime: [{ image: /(^|[/"])ollama\/ollama([:"]|$)/ }],
  objects: [
    {
      list: 'customResources',
      group: /^leaderworkerset\.x-k8s\.io$/,
      kind: /^LeaderWorkerSet$/,
      specMatches: /(^|[/"])ollama\/ollama([:"]|$)/,
    },
  ],
  objectsMeanInstalled: true,
  versionFromImage: /ollama\/ollama:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'serving deployment',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'llm',
              name: 'ollama',
              images: ['ollama/ollama:0.9.6'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.9.6',
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
                          image: 'ollama/ollama:0.9.6',
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
              images: ['example/ollama-webui:1'],
            },
          ],
        },
      },
    ],
  },
};
