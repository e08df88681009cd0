// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const azureCniRule: ComponentRule = {
  id: 'azure-cni',
  name: 'Azure CNI',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^(azure-cni|azure-cns|azure-npm)/ },
    { kind: ['DaemonSet'], image: /azure-(cni|cns|npm)/ },
  ],
  versionFromImage: /azure-(?:cni|cns|npm):v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'azure-cns',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'azure-cns',
              images: ['mcr.microsoft.com/containernetworking/azure-cns:v1.6.18'],
            },
          ],
        },
        expect: {
          version: '1.6.18',
        },
      },
    ],
    fail: [
      {
        name: 'azure app',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'default',
              name: 'azure-functions',
              images: ['mcr.microsoft.com/azure-functions/node:4'],
            },
          ],
        },
      },
    ],
  },
};
