// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const datadogAgentRule: ComponentRule = {
  id: 'datadog-agent',
  name: 'Datadog Agent',
  category: 'observability',
  runtime: [{ kind: ['DaemonSet', 'Deployment'], image: /(datadog\/agent|datadoghq\/agent):/ }],
  versionFromImage: /agent:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'datadog',
              name: 'datadog-agent',
              images: ['gcr.io/datadoghq/agent:7.66.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '7.66.0',
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
              namespace: 'default',
              name: 'datadog-client',
              images: ['example/dd:1'],
            },
          ],
        },
      },
    ],
  },
};
