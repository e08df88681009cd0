// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const prometheusOperatorRule: ComponentRule = {
  id: 'prometheus-operator',
  name: 'Prometheus Operator',
  category: 'observability',
  runtime: [
    { kind: ['Deployment'], image: /prometheus-operator\/prometheus-operator:/ },
    { kind: ['Deployment'], name: /prometheus-operator$/ },
  ],
  api: [{ crdGroup: /^monitoring\.coreos\.com$/ }],
  versionFromImage: /prometheus-operator\/prometheus-operator:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'operator',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'monitoring',
              name: 'prometheus-operator',
              images: ['quay.io/prometheus-operator/prometheus-operator:v0.86.1'],
            },
          ],
        },
        expect: {
          version: '0.86.1',
        },
      },
      {
        name: 'CRDs only',
        spec: {
          crds: ['monitoring.coreos.com/ServiceMonitor'],
        },
        expect: {
          status: 'remnant',
        },
      },
    ],
    fail: [
      {
        name: 'plain prometheus',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'monitoring',
              name: 'prometheus',
              images: ['prom/prometheus:v3.5.0'],
            },
          ],
        },
      },
    ],
  },
};
