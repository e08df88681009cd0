#!/usr/bin/env python3
"""Transcribe IBM network-config-analyzer (NCA) k8s test cases into network-config-analyzer.json.

Reads ../shared/fixtures/network-config-analyzer/tests (NCA @ c4bd39f99d76, Apache-2.0) with
PyYAML and writes, for every permits / forbids / connectivityMap query of the k8s test cases
(scheme files and the two k8s_cmdline_tests.yaml permits/forbids cases):
  - the query, its configs and the expected result (count, expected-output file);
  - whether Plumbline runs it, or the reason it is skipped;
  - the topology NCA analyses: namespaces and pods from typed Lists (kubectl output whose items
    carry no `kind`, which the manifest collector rightly skips), and manifest files the
    collector reads as they are (Deployments...). NCA's LiveSim kube-dns pod is added where NCA
    adds it (policies naming kube-system / kube-dns and no such pod in the topology).
Policies are not transcribed: the test reads them from the fixture files with the collector.

Usage: python3 transcribe-nca.py [FIXTURES_DIR] > network-config-analyzer.json
       npx prettier --write network-config-analyzer.json
"""
import glob
import json
import os
import sys

import yaml

FIX = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), '../../../../../shared/fixtures'))
ROOT = os.path.join(FIX, 'network-config-analyzer/tests')
QUERY_KINDS = ('permits', 'forbids', 'connectivityMap')
MANIFEST = ('.yaml', '.yml', '.json')


def rel(p):
    return os.path.relpath(p, FIX).replace(os.sep, '/')


def expand(base, entry):
    """NCA source entry -> list of files (dir: its files; dir/**: recursive)."""
    if entry in ('k8s', 'calico', 'istio'):
        return None
    p = os.path.normpath(os.path.join(base, entry.rstrip('*').rstrip('/')))
    if entry.endswith('/**'):
        return sorted(f for f in glob.glob(os.path.join(p, '**/*'), recursive=True)
                      if f.endswith(MANIFEST))
    if os.path.isdir(p):
        return sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith(MANIFEST))
    return [p]


def docs(path):
    with open(path) as f:
        text = f.read()
    if path.endswith('.json'):
        return [json.loads(text)]
    return [d for d in yaml.safe_load_all(text) if d]


def topology_of(files, want_ns=True, want_pods=True):
    """Split topology files: typed lists without item kinds are transcribed, the rest read by
    the collector."""
    out = {'namespaces': [], 'pods': [], 'manifests': []}
    for f in files:
        if not os.path.exists(f):
            raise FileNotFoundError(rel(f))
        ds = docs(f)
        kindless = any(isinstance(d, dict) and str(d.get('kind', '')).endswith('List')
                       and any('kind' not in i for i in d.get('items') or []) for d in ds)
        if not kindless:
            out['manifests'].append(rel(f))
            continue
        for d in ds:
            kind = str(d.get('kind', ''))
            items = d.get('items') or [] if kind.endswith('List') else [d]
            item_kind = kind[:-4] if kind.endswith('List') else kind
            for i in items:
                k = i.get('kind', item_kind)
                m = i.get('metadata') or {}
                if k == 'Namespace' and want_ns:
                    out['namespaces'].append({'name': m['name'], 'labels': m.get('labels') or {}})
                elif k == 'Pod' and want_pods:
                    owners = m.get('ownerReferences') or []
                    ports = []
                    for c in (i.get('spec') or {}).get('containers') or []:
                        for p in c.get('ports') or []:
                            ports.append({'name': p.get('name'), 'port': p['containerPort'],
                                          'protocol': p.get('protocol', 'TCP')})
                    out['pods'].append({
                        'namespace': m.get('namespace', 'default'), 'name': m['name'],
                        'labels': {k2: str(v) for k2, v in (m.get('labels') or {}).items()},
                        'owner': {'kind': owners[0]['kind'], 'name': owners[0]['name']}
                        if owners else None,
                        'ports': ports,
                        'hostNetwork': bool((i.get('spec') or {}).get('hostNetwork')),
                    })
    return out


LIVESIM_DNS = {
    'namespace': {'name': 'kube-system',
                  'labels': {'name': 'kube-system', 'kubernetes.io/metadata.name': 'kube-system'}},
    'pod': {'namespace': 'kube-system', 'name': 'kube-dns-livesim', 'owner': None, 'ports': [],
            'labels': {'k8s-app': 'kube-dns', 'projectcalico.org/namespace': 'kube-system'},
            'hostNetwork': False},
}


def main():
    topologies, configs, cases = {}, {}, []

    def topology_key(base, scheme, cfg, policy_files):
        ns_src = cfg.get('namespaceList', scheme.get('namespaceList'))
        pod_src = cfg.get('podList', scheme.get('podList'))
        res = cfg.get('resourceList', scheme.get('resourceList'))
        res = [res] if isinstance(res, str) else (res or [])
        files_ns = expand(base, ns_src) if ns_src else []
        files_pods = expand(base, pod_src) if pod_src else []
        files_res = [f for e in res for f in (expand(base, e) or [])]
        if not ns_src:
            files_ns = files_res
        if not pod_src:
            files_pods = files_res
        key = json.dumps([sorted(map(rel, files_ns)), sorted(map(rel, files_pods))])
        if key not in topologies:
            t_ns = topology_of(files_ns, want_pods=False)
            t_pods = topology_of(files_pods, want_ns=False)
            topologies[key] = {
                'namespaceSources': sorted(map(rel, files_ns)),
                'podSources': sorted(map(rel, files_pods)),
                'namespaces': t_ns['namespaces'],
                'pods': t_pods['pods'],
                'manifests': sorted(set(t_ns['manifests']) | set(t_pods['manifests'])),
            }
        return key

    for scheme_path in sorted(glob.glob(os.path.join(ROOT, 'k8s_testcases/**/*scheme*.yaml'),
                                        recursive=True)):
        scheme = yaml.safe_load(open(scheme_path))
        base = os.path.dirname(scheme_path)
        queries = scheme.get('queries') or []
        if not any(any(k in q for k in QUERY_KINDS) for q in queries):
            continue
        cfg_by_name = {c['name']: c for c in scheme.get('networkConfigList') or []}
        for qi, q in enumerate(queries):
            kind = next((k for k in QUERY_KINDS if k in q), None)
            if not kind:
                continue
            out_cfg = q.get('outputConfiguration') or {}
            case = {
                'id': f"{rel(scheme_path)}#{qi}:{q['name']}",
                'query': kind,
                'configs': q[kind],
                'expected': q.get('expected'),
                'expectedOutput': rel(os.path.normpath(os.path.join(base, q['expectedOutput'])))
                if q.get('expectedOutput') else None,
                'outputFormat': out_cfg.get('outputFormat', 'txt'),
                'status': 'run',
            }
            reason = None
            for name in q[kind]:
                if '/' in name:
                    reason = 'queries a single policy of a config (NCA config-set syntax)'
                    break
                cfg = cfg_by_name.get(name)
                if cfg is None:
                    reason = f'config {name} is not defined'
                    break
                key = f"{rel(scheme_path)}#{name}"
                try:
                    if key not in configs:
                        pol_src = cfg.get('networkPolicyList')
                        res = cfg.get('resourceList')
                        res = [res] if isinstance(res, str) else (res or [])
                        if pol_src is None:
                            pol_src = res
                        files = []
                        for e in pol_src:
                            ex = expand(base, e)
                            if ex is None:
                                raise ValueError(f'reads live cluster policies ({e})')
                            files += ex
                        for f in files:
                            if not os.path.exists(f):
                                raise FileNotFoundError(rel(f))
                        topo = topology_key(base, scheme, cfg, files)
                        configs[key] = {'topology': topo, 'policies': sorted(map(rel, files))}
                except FileNotFoundError as e:
                    reason = f'input {e} is not in the fixture set'
                    break
                except ValueError as e:
                    reason = str(e)
                    break
            if not reason and kind == 'connectivityMap' and not case['expectedOutput']:
                reason = ('no expected output upstream (a connectivityMap query always returns 0, '
                          'so there is no verdict to check)')
            if not reason and case['expectedOutput']:
                if not os.path.exists(os.path.join(FIX, case['expectedOutput'])):
                    reason = f"expected output {case['expectedOutput']} is not in the fixture set"
                else:
                    text = open(os.path.join(FIX, case['expectedOutput'])).read()
                    if 'hosts:' in text or 'paths:' in text:
                        reason = ('the expected connectivity includes the Ingress layer '
                                  '(hosts / paths of k8s Ingress objects), outside NetworkPolicy')
            if not reason and kind in ('permits', 'forbids') and case['expected'] is None:
                reason = 'no expected count upstream'
            if reason:
                case['status'] = 'skip'
                case['reason'] = reason
            else:
                case['configKeys'] = [f"{rel(scheme_path)}#{n}" for n in q[kind]]
            cases.append(case)

    # k8s_cmdline_tests.yaml: the permits / forbids command-line cases.
    base = ROOT
    for t in yaml.safe_load(open(os.path.join(ROOT, 'k8s_cmdline_tests.yaml'))):
        args = t['args'].split()
        kind = next((a[2:] for a in args if a in ('--permits', '--forbids')), None)
        if not kind:
            continue
        def arg(flag):
            return [args[i + 1] for i, a in enumerate(args) if a == flag]
        # `--permits SPEC --base_np_list IMPL`: does the base config permit / forbid what SPEC
        # explicitly allows (the scheme form lists the implementation first).
        spec, impl = arg(f'--{kind}')[0], arg('--base_np_list')[0]
        scheme = {'namespaceList': arg('--ns_list')[0], 'podList': arg('--pod_list')[0]}
        keys = []
        for name, f in (('impl', impl), ('spec', spec)):
            key = f"network-config-analyzer/tests/k8s_cmdline_tests.yaml#{t['name']}:{name}"
            files = expand(base, f)
            topo = topology_key(base, scheme, {}, files)
            configs[key] = {'topology': topo, 'policies': sorted(map(rel, files))}
            keys.append(key)
        cases.append({
            'id': f"network-config-analyzer/tests/k8s_cmdline_tests.yaml#{t['name']}",
            'query': kind, 'configs': ['impl', 'spec'], 'expected': t['expected'],
            'expectedOutput': None, 'outputFormat': 'txt', 'status': 'run', 'configKeys': keys,
        })

    # NCA LiveSim: when a policy names pods labelled k8s-app=kube-dns that the topology lacks, NCA
    # adds its kube-dns pod (nca/NetworkConfig/LiveSim/dns/dns_pods.yaml) and re-parses.
    def has_kube_dns(topo):
        if any(p['labels'].get('k8s-app') == 'kube-dns' and p['namespace'] == 'kube-system'
               for p in topo['pods']):
            return True
        for f in topo['manifests']:
            for d in docs(os.path.join(FIX, f)):
                items = d.get('items') or [] if str(d.get('kind', '')).endswith('List') else [d]
                for i in items:
                    m = i.get('metadata') or {}
                    tmpl = ((i.get('spec') or {}).get('template') or {}).get('metadata') or {}
                    labels = {**(m.get('labels') or {}), **(tmpl.get('labels') or {})}
                    if m.get('namespace') == 'kube-system' and labels.get('k8s-app') == 'kube-dns':
                        return True
        return False
    for key, cfg in configs.items():
        topo = topologies[cfg['topology']]
        text = ''.join(open(os.path.join(FIX, p)).read() for p in cfg['policies'])
        if 'kube-dns' in text and not has_kube_dns(topo):
            cfg['livesim'] = ['dns']

    run = sum(1 for c in cases if c['status'] == 'run')
    json.dump({
        'suite': 'network-config-analyzer',
        'source': {
            'repo': 'IBM/network-config-analyzer',
            'commit': 'c4bd39f99d76',
            'licence': 'Apache-2.0',
            'scope': 'tests/k8s_testcases/**/*scheme*.yaml and tests/k8s_cmdline_tests.yaml: '
                     'every permits, forbids and connectivityMap query',
            'transcribedBy': 'packages/netpol/test/suites/transcribe-nca.py',
        },
        'livesim': LIVESIM_DNS,
        'counts': {'run': run, 'skipped': len(cases) - run},
        'cases': cases,
        'configs': configs,
        'topologies': topologies,
    }, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
