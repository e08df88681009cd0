// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const podSecurityAdmissionRule: ComponentRule = {
  id: 'pod-security-admission',
  name: 'Pod Security Admission labels',
  category: 'policy-compliance',
  // `enforce: privileged` is the absence of a control (it allows everything): only baseline or
  // restricted make Pod Security Admission "installed".
  support: [
    {
      namespaceLabel: ['pod-security.kubernetes.io/enforce', /^(baseline|restricted)$/],
    },
  ],
  supportDecides: true,
  attributes: (ctx) => {
    const levels = ctx.snapshot.namespaces.map(
      (n) => n.labels['pod-security.kubernetes.io/enforce'],
    );
    return {
      restrictedNamespaces: levels.filter((l) => l === 'restricted').length,
      baselineNamespaces: levels.filter((l) => l === 'baseline').length,
      privilegedNamespaces: levels.filter((l) => l === 'privileged').length,
    };
  },
  fixtures: {
    pass: [
      {
        name: 'restricted namespace',
        spec: {
          namespaces: [
            {
              name: 'shop',
              labels: {
                'pod-security.kubernetes.io/enforce': 'restricted',
              },
            },
          ],
        },
        expect: {
          status: 'installed',
          attributes: {
            restrictedNamespaces: 1,
            baselineNamespaces: 0,
            privilegedNamespaces: 0,
          },
        },
      },
    ],
    fail: [
      {
        name: 'enforce privileged only (no control)',
        spec: {
          namespaces: [
            { name: 'shop', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
            { name: 'ops', labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } },
          ],
        },
      },
      {
        name: 'warn label only',
        spec: {
          namespaces: [
            {
              name: 'shop',
              labels: {
                'pod-security.kubernetes.io/warn': 'restricted',
              },
            },
          ],
        },
      },
    ],
  },
};
