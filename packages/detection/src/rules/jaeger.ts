// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const jaegerRule: ComponentRule = {
  id: 'jaeger',
  name: 'Jaeger',
  category: 'observability',
  runtime: [{ image: /jaegertracing\/(all-in-one|jaeger|jaeger-collector|jaeger-query)/ }],
  versionFromImage: /jaegertracing\/[a-z-]+:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'istio-system',
              name: 'jaeger',
              images: ['docker.io/jaegertracing/all-in-one:1.67.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.67.0',
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
              namespace: 'app',
              name: 'jaeger-client-demo',
              images: ['example/demo:1'],
            },
          ],
        },
      },
    ],
  },
};
