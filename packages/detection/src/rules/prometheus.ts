// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const prometheusRule: ComponentRule = {
  id: 'prometheus',
  name: 'Prometheus',
  category: 'observability',
  runtime: [{ image: /(^|\/)(prom|prometheus)\/prometheus:/ }],
  objects: [{ list: 'customResources', group: /^monitoring\.coreos\.com$/, kind: /^Prometheus$/ }],
  objectsMeanInstalled: true,
  versionFromImage: /(?:prom|prometheus)\/prometheus:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'prometheus server',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'istio-system',
              name: 'prometheus',
              images: ['prom/prometheus:v3.5.0'],
            },
          ],
        },
        expect: {
          version: '3.5.0',
        },
      },
      {
        name: 'operator-managed Prometheus CR',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'monitoring.coreos.com/v1',
              kind: 'Prometheus',
              name: 'k8s',
              namespace: 'monitoring',
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
        name: 'node-exporter',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'monitoring',
              name: 'node-exporter',
              images: ['quay.io/prometheus/node-exporter:v1.9.1'],
            },
          ],
        },
      },
    ],
  },
};
