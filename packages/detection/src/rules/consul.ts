// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const consulRule: ComponentRule = {
  id: 'consul',
  name: 'Consul service mesh',
  category: 'service-mesh',
  runtime: [{ image: /hashicorp\/consul(-k8s-control-plane)?:/ }],
  api: [{ crdGroup: /^consul\.hashicorp\.com$/ }],
  versionFromImage: /hashicorp\/consul:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'consul server',
        spec: {
          workloads: [
            {
              kind: 'StatefulSet',
              namespace: 'consul',
              name: 'consul-server',
              images: ['hashicorp/consul:1.20.0'],
            },
          ],
        },
        expect: {
          version: '1.20.0',
        },
      },
    ],
    fail: [
      {
        name: 'consul-template sidecar',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'app',
              images: ['hashicorp/consul-template:0.39'],
            },
          ],
        },
      },
    ],
  },
};
