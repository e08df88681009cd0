// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const opentelemetryCollectorRule: ComponentRule = {
  id: 'opentelemetry-collector',
  name: 'OpenTelemetry Collector',
  category: 'observability',
  runtime: [{ image: /(opentelemetry-collector|otel\/opentelemetry-collector|otelcol)/ }],
  objects: [
    { list: 'customResources', group: /^opentelemetry\.io$/, kind: /^OpenTelemetryCollector$/ },
  ],
  versionFromImage: /opentelemetry-collector(?:-contrib|-k8s)?:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'observability',
              name: 'otel-collector',
              images: ['otel/opentelemetry-collector-contrib:0.129.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.129.0',
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
              name: 'otel-demo-frontend',
              images: ['ghcr.io/open-telemetry/demo:2.1.3-frontend'],
            },
          ],
        },
      },
    ],
  },
};
