// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const newrelicAgentRule: ComponentRule = {
  id: 'newrelic-agent',
  name: 'New Relic infrastructure agent',
  category: 'observability',
  runtime: [{ image: /newrelic\/(infrastructure|nri-)/ }],
  versionFromImage: /newrelic\/infrastructure(?:-k8s)?:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'newrelic',
              name: 'newrelic-infrastructure',
              images: ['newrelic/infrastructure-k8s:3.40.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '3.40.0',
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
              name: 'newrelic-app',
              images: ['example/nr:1'],
            },
          ],
        },
      },
    ],
  },
};
