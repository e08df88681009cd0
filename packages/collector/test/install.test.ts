/**
 * The in-cluster install (infra/scanner): every manifest parses; the default RBAC is read-only
 * (get/list/watch, no Secrets, no subresources such as pods/exec, no write verbs) and still
 * covers every type live collection lists; the pods run non-root with a read-only root
 * filesystem and requests/limits; the Helm chart's templates are valid YAML once template
 * expressions are replaced by placeholders, and its ClusterRole rules equal the plain ones.
 */
import { BUILTIN_GROUPS } from '@plumbline/kube-sim';
import { generateCluster } from '@plumbline/scenarios';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { isCollected } from '../src/reduce.js';
import { CUSTOM_RESOURCE_ALLOW, POLICY_GROUPS } from '../src/rules.js';

const INFRA = resolve(__dirname, '../../../infra/scanner');
const CHART = join(INFRA, 'helm/plumbline-scanner');
const FIXTURES = resolve(__dirname, '../../../../shared/fixtures');

type Doc = Record<string, unknown> & {
  kind: string;
  metadata: { name: string; namespace?: string };
};
interface Rule {
  apiGroups?: string[];
  resources?: string[];
  verbs: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (p !== join(INFRA, 'helm')) walk(p, out);
    } else if (/\.ya?ml$/.test(name) && name !== 'kustomization.yaml') out.push(p);
  }
  return out.sort();
}

function docs(file: string): Doc[] {
  const parsed = parseAllDocuments(readFileSync(file, 'utf8'));
  return parsed.map((d) => {
    if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
    return d.toJS() as Doc;
  });
}

function kustomization(dir: string): {
  resources?: string[];
  components?: string[];
  patches?: unknown[];
} {
  return parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
    resources?: string[];
  };
}

const defaultDocs = (kustomization(INFRA).resources ?? []).flatMap((f) => docs(join(INFRA, f)));
const rolesOf = (list: Doc[]) => list.filter((d) => d.kind === 'ClusterRole' || d.kind === 'Role');
const rules = (list: Doc[]) => rolesOf(list).flatMap((r) => (r.rules as Rule[]) ?? []);

function allows(ruleList: Rule[], group: string, resource: string, verb: string): boolean {
  return ruleList.some(
    (r) =>
      (r.apiGroups ?? []).some((g) => g === group || g === '*') &&
      (r.resources ?? []).some((x) => x === resource || x === '*') &&
      (r.verbs.includes(verb) || r.verbs.includes('*')),
  );
}

describe('infra/scanner manifests', () => {
  it('every file parses into Kubernetes objects, and kustomization lists real files', () => {
    const files = walk(INFRA);
    expect(files.map((f) => relative(INFRA, f))).toEqual(
      expect.arrayContaining([
        'clusterrole.yaml',
        'cronjob.yaml',
        'job-once.yaml',
        'namespace.yaml',
      ]),
    );
    for (const f of files)
      for (const d of docs(f)) {
        expect([
          relative(INFRA, f),
          typeof d.apiVersion,
          typeof d.kind,
          typeof d.metadata.name,
        ]).toEqual([relative(INFRA, f), 'string', 'string', 'string']);
      }
    const k = kustomization(INFRA);
    for (const r of k.resources ?? []) expect(existsSync(join(INFRA, r))).toBe(true);
    expect(k.resources).not.toContain('job-once.yaml');
    const component = kustomization(join(INFRA, 'components/secret-metadata'));
    for (const r of component.resources ?? [])
      expect(existsSync(join(INFRA, 'components/secret-metadata', r))).toBe(true);
    expect(defaultDocs.map((d) => d.kind).sort()).toEqual([
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'CronJob',
      'Namespace',
      'ServiceAccount',
    ]);
    // The token is referenced, never shipped.
    expect(
      walk(INFRA)
        .flatMap(docs)
        .filter((d) => d.kind === 'Secret'),
    ).toEqual([]);
  });

  it('the default RBAC is read-only: get/list/watch, no Secrets, no subresources, no wildcards in built-in groups', () => {
    const all = rules(defaultDocs);
    expect(all.length).toBeGreaterThan(5);
    for (const r of all) {
      expect(r.verbs.every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);
      expect(r.nonResourceURLs ?? []).toEqual([]);
      expect(r.apiGroups ?? []).not.toContain('*');
      for (const res of r.resources ?? []) {
        expect(res).not.toMatch(/\//); // pods/exec, pods/log, */proxy...
        expect(res).not.toBe('secrets');
      }
      const builtin = (r.apiGroups ?? []).filter((g) => BUILTIN_GROUPS.some((b) => b.group === g));
      if (builtin.length) expect(r.resources).not.toContain('*');
    }
    expect(allows(all, '', 'secrets', 'list')).toBe(false);
    expect(allows(all, '', 'secrets', 'get')).toBe(false);
    expect(allows(all, '', 'pods/exec', 'create')).toBe(false);
    // The binding gives this role, and only it, to the scanner's service account.
    const bindings = defaultDocs.filter(
      (d) => d.kind === 'ClusterRoleBinding' || d.kind === 'RoleBinding',
    );
    expect(bindings.map((b) => [(b.roleRef as { name: string }).name, b.subjects])).toEqual([
      [
        'plumbline-scanner',
        [{ kind: 'ServiceAccount', name: 'plumbline-scanner', namespace: 'plumbline' }],
      ],
    ]);
  });

  it('still allows every type live collection lists (built-in and every known CRD)', () => {
    const all = rules(defaultDocs);
    const types: { group: string; kind: string; plural: string }[] = [];
    for (const g of BUILTIN_GROUPS)
      for (const k of g.kinds) types.push({ group: g.group, kind: k.kind, plural: k.plural });
    // CRDs from the fixtures and from generated clusters: real groups, kinds and plurals.
    const crdText: string[] = [];
    const collect = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) collect(p);
        else if (/\.ya?ml$/.test(e.name)) {
          const text = readFileSync(p, 'utf8');
          if (text.includes('kind: CustomResourceDefinition')) crdText.push(text);
        }
      }
    };
    collect(FIXTURES);
    const crds: Record<string, unknown>[] = [];
    for (const text of crdText)
      for (const d of parseAllDocuments(text, { uniqueKeys: false })) {
        if (d.errors.length) continue;
        const v = d.toJS() as Record<string, unknown> | null;
        if (v?.kind === 'CustomResourceDefinition') crds.push(v);
      }
    for (const seed of ['rbac-1', 'rbac-2', 'rbac-3', 'rbac-4', 'rbac-5', 'rbac-6'])
      crds.push(
        ...generateCluster({ seed, pods: 60, vms: 1 }).objects.filter(
          (o) => o.kind === 'CustomResourceDefinition',
        ),
      );
    expect(crds.length).toBeGreaterThan(100);
    for (const c of crds) {
      const spec = c.spec as { group: string; names: { kind: string; plural: string } };
      types.push({ group: spec.group, kind: spec.names.kind, plural: spec.names.plural });
    }
    const missing = types
      .filter((t) => !(t.group === '' && t.kind === 'Secret'))
      .filter((t) => isCollected(t.group || 'core', t.kind))
      .filter((t) => !allows(all, t.group, t.plural, 'list'))
      .map((t) => `${t.group}/${t.plural}`);
    expect([...new Set(missing)]).toEqual([]);
    // Every group the rules can take objects from is named in the role.
    const groups = all.flatMap((r) => r.apiGroups ?? []);
    for (const g of POLICY_GROUPS) expect(groups).toContain(g);
    for (const r of CUSTOM_RESOURCE_ALLOW)
      expect([String(r.group), groups.some((g) => r.group.test(g))]).toEqual([
        String(r.group),
        true,
      ]);
    // GETs the collector makes: the kube-system namespace and allowlisted ConfigMaps.
    expect(allows(all, '', 'namespaces', 'get')).toBe(true);
    expect(allows(all, '', 'configmaps', 'get')).toBe(true);
  });

  it('Secret metadata is an explicit opt-in: list secrets only, with the flag', () => {
    const dir = join(INFRA, 'components/secret-metadata');
    const extra = (kustomization(dir).resources ?? []).flatMap((f) => docs(join(dir, f)));
    expect(rules(extra)).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]);
    expect(JSON.stringify(kustomization(dir).patches)).toContain('--include-secret-metadata');
  });

  /** The pod spec of a scan Job or CronJob. */
  const podSpecOf = (p: { kind?: unknown; spec?: unknown }): Record<string, unknown> => {
    const jobSpec =
      p.kind === 'CronJob'
        ? (p.spec as { jobTemplate: { spec: Record<string, unknown> } }).jobTemplate.spec
        : (p.spec as Record<string, unknown>);
    return (jobSpec.template as { spec: Record<string, unknown> }).spec;
  };

  it('the scan pods run non-root, read-only, with limits, and the token from a Secret reference', () => {
    const pods = walk(INFRA)
      .flatMap(docs)
      .filter((d) => d.kind === 'CronJob' || d.kind === 'Job');
    expect(pods.map((p) => p.kind).sort()).toEqual(['CronJob', 'Job']);
    for (const p of pods) {
      const pod = podSpecOf(p);
      expect(pod.serviceAccountName).toBe('plumbline-scanner');
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect((pod.securityContext as { runAsUser: number }).runAsUser).toBeGreaterThan(0);
      const [c] = pod.containers as Record<string, unknown>[];
      expect(c!.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(c!.resources).toMatchObject({
        requests: { cpu: expect.any(String), memory: expect.any(String) },
        limits: { memory: expect.any(String) },
      });
      expect(c!.args).toEqual(
        expect.arrayContaining([
          'scan',
          '--in-cluster',
          '--token-file=/var/run/secrets/plumbline/token',
        ]),
      );
      const volumes = pod.volumes as { name: string; secret?: { secretName: string } }[];
      expect(volumes.find((v) => v.name === 'token')?.secret?.secretName).toBe(
        'plumbline-scanner-token',
      );
    }
    // The installation's fingerprint key: a Secret reference mounted as a file, passed by flag.
    for (const p of pods) {
      const pod = podSpecOf(p);
      const [c] = pod.containers as { args: string[]; volumeMounts: { name: string }[] }[];
      expect(c!.args).toContain(
        '--fingerprint-key-file=/var/run/secrets/plumbline-fingerprint/key',
      );
      expect(c!.volumeMounts.map((m) => m.name)).toContain('fingerprint-key');
      const volumes = pod.volumes as { name: string; secret?: { secretName: string } }[];
      expect(volumes.find((v) => v.name === 'fingerprint-key')?.secret?.secretName).toBe(
        'plumbline-scanner-fingerprint-key',
      );
    }
    const cron = pods.find((p) => p.kind === 'CronJob')!;
    // Daily: a fixed minute and hour, every day.
    expect((cron.spec as { schedule: string }).schedule).toMatch(/^\d{1,2} \d{1,2} \* \* \*$/);
    expect((cron.spec as { concurrencyPolicy: string }).concurrencyPolicy).toBe('Forbid');
  });
});

/** Replace Go template actions so the rest can be parsed as YAML. */
function placeholders(template: string): string {
  return template
    .split('\n')
    .filter((line) => !/^\s*\{\{-?[^}]*-?\}\}\s*$/.test(line)) // lines that are only an action
    .map((line) => line.replace(/\{\{-?[^}]*-?\}\}/g, 'PLACEHOLDER'))
    .join('\n');
}

describe('infra/scanner Helm chart', () => {
  const templates = readdirSync(join(CHART, 'templates')).filter((f) => f.endsWith('.yaml'));

  it('has a valid Chart.yaml and values.yaml, and every referenced value exists', () => {
    const chart = parse(readFileSync(join(CHART, 'Chart.yaml'), 'utf8')) as Record<string, string>;
    expect(chart).toMatchObject({
      apiVersion: 'v2',
      name: 'plumbline-scanner',
      type: 'application',
    });
    const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(values).toMatchObject({ secretMetadata: { enabled: false }, runOnInstall: false });
    const text = [...templates, '_helpers.tpl', 'NOTES.txt']
      .map((f) => readFileSync(join(CHART, 'templates', f), 'utf8'))
      .join('\n');
    const refs = new Set([...text.matchAll(/\.Values\.([\w.]+)/g)].map((m) => m[1]!));
    expect(refs.size).toBeGreaterThan(10);
    for (const ref of refs) {
      let cur: unknown = values;
      for (const part of ref.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[part];
      expect([ref, cur === undefined]).toEqual([ref, false]);
    }
  });

  it.each(templates)('%s is valid YAML once template expressions are placeholders', (file) => {
    const text = placeholders(readFileSync(join(CHART, 'templates', file), 'utf8'));
    for (const d of parseAllDocuments(text)) {
      expect(d.errors.map((e) => e.message)).toEqual([]);
      const v = d.toJS() as Doc | null;
      if (v) expect([typeof v.apiVersion, typeof v.kind]).toEqual(['string', 'string']);
    }
  });

  it('the shared pod spec (_helpers.tpl) is valid YAML and as locked down as the plain one', () => {
    const helpers = readFileSync(join(CHART, 'templates/_helpers.tpl'), 'utf8');
    const body =
      /\{\{- define "plumbline-scanner.podSpec" -\}\}\n([\s\S]*?)\{\{- end -\}\}\s*$/.exec(
        helpers,
      )![1]!;
    const pod = parse(placeholders(body)) as Record<string, unknown>;
    const [c] = pod.containers as Record<string, unknown>[];
    expect(c!.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.serviceAccountName).toBe('plumbline-scanner');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
  });

  it('generates the fingerprint key once and keeps it (lookup on upgrade, kept on uninstall)', () => {
    const text = readFileSync(join(CHART, 'templates/fingerprint-key-secret.yaml'), 'utf8');
    expect(text).toMatch(
      /lookup "v1" "Secret" \.Values\.namespace \.Values\.fingerprintKey\.secretName/,
    );
    expect(text).toMatch(/index \$existing\.data "key"/);
    expect(text).toMatch(/randAlphaNum 64/);
    const secret = parse(placeholders(text)) as Doc & {
      metadata: { annotations: Record<string, string> };
    };
    expect(secret.kind).toBe('Secret');
    expect(secret.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
    const helpers = readFileSync(join(CHART, 'templates/_helpers.tpl'), 'utf8');
    expect(helpers).toContain('--fingerprint-key-file=/var/run/secrets/plumbline-fingerprint/key');
    expect(helpers).toContain('secretName: {{ .Values.fingerprintKey.secretName }}');
  });

  it('its ClusterRole rules equal the plain manifest, and so do the opt-in Secret rules', () => {
    const chartRole = parse(
      placeholders(readFileSync(join(CHART, 'templates/clusterrole.yaml'), 'utf8')),
    ) as Doc;
    const plainRole = defaultDocs.find((d) => d.kind === 'ClusterRole')!;
    expect(chartRole.rules).toEqual(plainRole.rules);
    const chartSecret = parseAllDocuments(
      placeholders(readFileSync(join(CHART, 'templates/secret-metadata-rbac.yaml'), 'utf8')),
    )
      .map((d) => d.toJS() as Doc)
      .filter((d) => d.kind === 'ClusterRole');
    const plainSecret = docs(join(INFRA, 'components/secret-metadata/clusterrole.yaml')).filter(
      (d) => d.kind === 'ClusterRole',
    );
    expect(chartSecret.map((d) => d.rules)).toEqual(plainSecret.map((d) => d.rules));
  });
});
