// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const agentSandboxRule: ComponentRule = {
  id: 'agent-sandbox',
  name: 'Agent Sandbox (agents.x-k8s.io)',
  category: 'ai-agents',
  runtime: [{ kind: ['Deployment'], name: /^agent-sandbox-controller/ }],
  objects: [{ list: 'customResources', group: /^(extensions\.)?agents\.x-k8s\.io$/ }],
  api: [{ crdGroup: /^(extensions\.)?agents\.x-k8s\.io$/ }],
  fixtures: {
    pass: [
      {
        name: 'a Sandbox',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'agents.x-k8s.io/v1alpha1',
              kind: 'Sandbox',
              name: 'code-runner',
              namespace: 'agents',
            },
          ],
        },
        expect: {
          status: 'remnant',
        },
      },
    ],
    fail: [
      {
        name: 'kagent Agent',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'kagent.dev/v1alpha2',
              kind: 'Agent',
              name: 'a',
              namespace: 'kagent',
            },
          ],
        },
      },
    ],
  },
};
