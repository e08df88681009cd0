// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const zipkinRule: ComponentRule = {
  id: 'zipkin',
  name: 'Zipkin',
  category: 'observability',
  runtime: [{ image: /openzipkin\/zipkin/ }],
  versionFromImage: /openzipkin\/zipkin(?:-slim)?:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'istio-system',
              name: 'zipkin',
              images: ['openzipkin/zipkin-slim:3.4.3'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '3.4.3',
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
              name: 'zipkin-exporter',
              images: ['example/exporter:1'],
            },
          ],
        },
      },
    ],
  },
};
