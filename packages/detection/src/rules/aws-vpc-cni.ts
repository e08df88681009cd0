// Detection rule: data, read by match.ts. Signals, then fixtures that must and must not match.
import type { ComponentRule } from '../rule.js';

export const awsVpcCniRule: ComponentRule = {
  id: 'aws-vpc-cni',
  name: 'Amazon VPC CNI',
  category: 'cni',
  runtime: [
    { kind: ['DaemonSet'], name: /^aws-node$/, namespace: /^kube-system$/ },
    { kind: ['DaemonSet'], image: /amazon-k8s-cni:/ },
  ],
  api: [{ crdGroup: /^crd\.k8s\.amazonaws\.com$/ }],
  versionFromImage: /amazon-k8s-cni:v?(\d[\w.-]*)/,
  fixtures: {
    pass: [
      {
        name: 'aws-node',
        spec: {
          workloads: [
            {
              kind: 'DaemonSet',
              namespace: 'kube-system',
              name: 'aws-node',
              images: ['602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon-k8s-cni:v1.19.2'],
            },
          ],
        },
        expect: {
          version: '1.19.2',
        },
      },
    ],
    fail: [
      {
        name: 'cni-metrics-helper only',
        spec: {
          workloads: [
            {
              kind: 'Deployment',
              namespace: 'kube-system',
              name: 'cni-metrics-helper',
              images: ['602401143452.dkr.ecr.us-west-2.amazonaws.com/cni-metrics-helper:v1.19.2'],
            },
          ],
        },
      },
    ],
  },
};
