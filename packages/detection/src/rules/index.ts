// Every component rule, one file each. Order is the report order within a category.

import { calicoRule } from './calico.js';
import { canalRule } from './canal.js';
import { ciliumRule } from './cilium.js';
import { flannelRule } from './flannel.js';
import { weaveNetRule } from './weave-net.js';
import { antreaRule } from './antrea.js';
import { kubeRouterRule } from './kube-router.js';
import { awsVpcCniRule } from './aws-vpc-cni.js';
import { azureCniRule } from './azure-cni.js';
import { kindnetRule } from './kindnet.js';
import { istioRule } from './istio.js';
import { linkerdRule } from './linkerd.js';
import { ciliumServiceMeshRule } from './cilium-service-mesh.js';
import { consulRule } from './consul.js';
import { prometheusOperatorRule } from './prometheus-operator.js';
import { prometheusRule } from './prometheus.js';
import { grafanaRule } from './grafana.js';
import { lokiRule } from './loki.js';
import { jaegerRule } from './jaeger.js';
import { tempoRule } from './tempo.js';
import { zipkinRule } from './zipkin.js';
import { opentelemetryCollectorRule } from './opentelemetry-collector.js';
import { hubbleRule } from './hubble.js';
import { calicoGoldmaneRule } from './calico-goldmane.js';
import { calicoWhiskerRule } from './calico-whisker.js';
import { antreaFlowAggregatorRule } from './antrea-flow-aggregator.js';
import { kialiRule } from './kiali.js';
import { kubeStateMetricsRule } from './kube-state-metrics.js';
import { nodeExporterRule } from './node-exporter.js';
import { datadogAgentRule } from './datadog-agent.js';
import { newrelicAgentRule } from './newrelic-agent.js';
import { dynatraceAgentRule } from './dynatrace-agent.js';
import { falcoRule } from './falco.js';
import { tetragonRule } from './tetragon.js';
import { neuvectorRule } from './neuvector.js';
import { sysdigRule } from './sysdig.js';
import { kyvernoRule } from './kyverno.js';
import { gatekeeperRule } from './gatekeeper.js';
import { validatingAdmissionPolicyRule } from './validating-admission-policy.js';
import { podSecurityAdmissionRule } from './pod-security-admission.js';
import { kubeBenchRule } from './kube-bench.js';
import { trivyOperatorRule } from './trivy-operator.js';
import { kubescapeRule } from './kubescape.js';
import { polarisRule } from './polaris.js';
import { ingressNginxRule } from './ingress-nginx.js';
import { traefikRule } from './traefik.js';
import { istioIngressGatewayRule } from './istio-ingress-gateway.js';
import { gatewayApiRule } from './gateway-api.js';
import { metallbRule } from './metallb.js';
import { cloudLoadBalancerRule } from './cloud-load-balancer.js';
import { istioEgressGatewayRule } from './istio-egress-gateway.js';
import { egressGatewayRule } from './egress-gateway.js';
import { submarinerRule } from './submariner.js';
import { ciliumClustermeshRule } from './cilium-clustermesh.js';
import { calicoFederationRule } from './calico-federation.js';
import { linkerdMulticlusterRule } from './linkerd-multicluster.js';
import { istioMulticlusterRule } from './istio-multicluster.js';
import { argoCdRule } from './argo-cd.js';
import { fluxRule } from './flux.js';
import { certManagerRule } from './cert-manager.js';
import { spireRule } from './spire.js';
import { kubevirtRule } from './kubevirt.js';
import { vllmRule } from './vllm.js';
import { ollamaRule } from './ollama.js';
import { sglangRule } from './sglang.js';
import { llamaCppRule } from './llama-cpp.js';
import { leaderworkersetRule } from './leaderworkerset.js';
import { kagentRule } from './kagent.js';
import { k8sgptOperatorRule } from './k8sgpt-operator.js';
import { agentSandboxRule } from './agent-sandbox.js';
import type { ComponentRule } from '../rule.js';

export const RULES: readonly ComponentRule[] = [
  calicoRule,
  canalRule,
  ciliumRule,
  flannelRule,
  weaveNetRule,
  antreaRule,
  kubeRouterRule,
  awsVpcCniRule,
  azureCniRule,
  kindnetRule,
  istioRule,
  linkerdRule,
  ciliumServiceMeshRule,
  consulRule,
  prometheusOperatorRule,
  prometheusRule,
  grafanaRule,
  lokiRule,
  jaegerRule,
  tempoRule,
  zipkinRule,
  opentelemetryCollectorRule,
  hubbleRule,
  calicoGoldmaneRule,
  calicoWhiskerRule,
  antreaFlowAggregatorRule,
  kialiRule,
  kubeStateMetricsRule,
  nodeExporterRule,
  datadogAgentRule,
  newrelicAgentRule,
  dynatraceAgentRule,
  falcoRule,
  tetragonRule,
  neuvectorRule,
  sysdigRule,
  kyvernoRule,
  gatekeeperRule,
  validatingAdmissionPolicyRule,
  podSecurityAdmissionRule,
  kubeBenchRule,
  trivyOperatorRule,
  kubescapeRule,
  polarisRule,
  ingressNginxRule,
  traefikRule,
  istioIngressGatewayRule,
  gatewayApiRule,
  metallbRule,
  cloudLoadBalancerRule,
  istioEgressGatewayRule,
  egressGatewayRule,
  submarinerRule,
  ciliumClustermeshRule,
  calicoFederationRule,
  linkerdMulticlusterRule,
  istioMulticlusterRule,
  argoCdRule,
  fluxRule,
  certManagerRule,
  spireRule,
  kubevirtRule,
  vllmRule,
  ollamaRule,
  sglangRule,
  llamaCppRule,
  leaderworkersetRule,
  kagentRule,
  k8sgptOperatorRule,
  agentSandboxRule,
];
