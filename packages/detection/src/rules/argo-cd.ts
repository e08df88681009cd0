// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const argoCdRule: ComponentRule = {
  id: 'argo-cd',
  name: 'Argo CD',
  category: 'gitops',
  runtime: [
    { image: /argoproj\/argocd:/ },
    { name: /^argocd-(server|repo-server|application-controller)$/ },
  ],
  api: [{ crdGroup: /^argoproj\.io$/ }],
  versionFromImage: /argoproj\/argocd:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'running',
        spec: {
          workloads: [
            {
              kind: 'StatefulSet',
              namespace: 'argocd',
              name: 'argocd-application-controller',
              images: ['quay.io/argoproj/argocd:v3.1.0'],
            },
          ],
        },
        expect: {
          status: 'installed',
          version: '3.1.0',
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
              namespace: 'ci',
              name: 'argo-workflows-server',
              images: ['quay.io/argoproj/argocli:v3.6.0'],
            },
          ],
        },
      },
    ],
  },
};
