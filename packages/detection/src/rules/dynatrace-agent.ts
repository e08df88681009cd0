// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const dynatraceAgentRule: ComponentRule = {
  id: 'dynatrace-agent',
  name: 'Dynatrace OneAgent',
  category: 'observability',
  runtime: [{ image: /dynatrace\/(oneagent|dynatrace-operator)|dynatrace-operator/ }],
  api: [{ crdGroup: /^dynatrace\.com$/ }],
  versionFromImage: /dynatrace\/oneagent:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'dynatrace',
              name: 'oneagent',
              images: ['docker.io/dynatrace/oneagent:1.309'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '1.309',
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
              name: 'dyna-app',
              images: ['example/dyna:1'],
            },
          ],
        },
      },
    ],
  },
};
