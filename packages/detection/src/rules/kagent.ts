// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const kagentRule: ComponentRule = {
  id: 'kagent',
  name: 'kagent',
  category: 'ai-agents',
  runtime: [
    { kind: ['Deployment'], image: /kagent-dev\/kagent\/(controller|app|ui)/ },
    { kind: ['Deployment'], name: /^kagent(-controller)?$/ },
    { kind: ['Deployment'], namespace: /^kagent$/ },
  ],
  objects: [{ list: 'customResources', group: /^kagent\.dev$/ }],
  api: [{ crdGroup: /^kagent\.dev$/ }],
  versionFromImage: /kagent\/(?:controller|app):v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'kagent CRs',
        spec: {
          objects: [
            {
              list: 'customResources',
              apiVersion: 'kagent.dev/v1alpha2',
              kind: 'Agent',
              name: 'k8s-agent',
              namespace: 'kagent',
            },
          ],
        },
        expect: {
          status: 'remnant',
        },
      },
      {
        name: 'controller',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kagent',
              name: 'kagent-controller',
              images: ['cr.kagent.dev/kagent-dev/kagent/controller:0.6.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '0.6.0',
        },
      },
    ],
    fail: [
      {
        name: 'an MCP server elsewhere',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'tools',
              name: 'k8sgpt-mcp-server',
              images: ['ghcr.io/k8sgpt-ai/k8sgpt:v0.4.1'],
            },
          ],
        },
      },
    ],
  },
};
