// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const sysdigRule: ComponentRule = {
  id: 'sysdig',
  name: 'Sysdig agent',
  category: 'threat-detection',
  runtime: [{ image: /sysdig\/(agent|agent-slim|sysdig-host-shield)/ }],
  versionFromImage: /sysdig\/agent(?:-slim)?:(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'sysdig-agent',
              name: 'sysdig-agent',
              images: ['quay.io/sysdig/agent-slim:13.9.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '13.9.0',
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
              name: 'sysdig-docs',
              images: ['example/docs:1'],
            },
          ],
        },
      },
    ],
  },
};
