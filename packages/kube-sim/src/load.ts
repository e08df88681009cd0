import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * Reads manifest files into raw objects, the way `kubectl create -f` would see them: every
 * document of every *.yaml / *.yml / *.json file (multi-document files, `kind: *List`), in file
 * order. Documents that do not parse, are not objects, or have template placeholders in their
 * identity are left out (an API server would refuse them) and reported.
 */

export interface LoadedObject {
  object: Record<string, unknown>;
  /** `file#document` or `file#document.items[i]`. */
  source: string;
}

export interface LoadResult {
  objects: LoadedObject[];
  refused: { source: string; reason: string }[];
}

const MANIFEST = /\.(ya?ml|json)$/i;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function byCodepoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function walk(root: string, dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(root, p, out);
    else if (e.isFile() && MANIFEST.test(e.name)) out.push(relative(root, p).split(sep).join('/'));
  }
}

/** Manifest files named by `paths` below `dir` (folders stand for every manifest below them). */
export function manifestFiles(dir: string, paths: readonly string[] = ['.']): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const full = join(dir, p);
    if (statSync(full).isDirectory()) {
      const found: string[] = [];
      walk(dir, full, found);
      for (const f of found) out.add(f);
    } else out.add(relative(dir, full).split(sep).join('/'));
  }
  return [...out].sort(byCodepoint);
}

function hasTemplate(o: Record<string, unknown>): boolean {
  const m = isRecord(o.metadata) ? o.metadata : {};
  return [o.apiVersion, o.kind, m.name, m.namespace].some(
    (v) => typeof v === 'string' && v.includes('{{'),
  );
}

const TYPED_LIST_API: Record<string, string> = {
  NetworkPolicy: 'networking.k8s.io/v1',
  Deployment: 'apps/v1',
  DaemonSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
};

export function loadManifests(dir: string, files: readonly string[]): LoadResult {
  const result: LoadResult = { objects: [], refused: [] };
  for (const file of files) {
    const text = readFileSync(join(dir, file), 'utf8');
    const docs: unknown[] = [];
    if (/\.json$/i.test(file)) {
      try {
        docs.push(JSON.parse(text));
      } catch {
        result.refused.push({ source: `${file}#0`, reason: 'invalid JSON' });
      }
    } else {
      for (const [i, doc] of parseAllDocuments(text, { uniqueKeys: false }).entries()) {
        if (doc.errors.length) {
          result.refused.push({ source: `${file}#${i}`, reason: 'invalid YAML' });
          docs.push(null);
          continue;
        }
        try {
          docs.push(doc.toJS({ maxAliasCount: 10_000 }));
        } catch {
          result.refused.push({ source: `${file}#${i}`, reason: 'invalid YAML' });
          docs.push(null);
        }
      }
    }
    docs.forEach((doc, i) => {
      if (doc === null || doc === undefined) return;
      const isList =
        isRecord(doc) &&
        typeof doc.kind === 'string' &&
        doc.kind.endsWith('List') &&
        Array.isArray(doc.items);
      // Typed lists (PodList, ...) as an API server returns them: items without kind/apiVersion.
      const listKind = isList ? (doc.kind as string) : 'List';
      const listApi = isList && typeof doc.apiVersion === 'string' ? doc.apiVersion : null;
      const items: unknown[] = isList ? (doc.items as unknown[]) : [doc];
      items.forEach((raw, j) => {
        const item =
          listKind !== 'List' &&
          isRecord(raw) &&
          raw.kind === undefined &&
          raw.apiVersion === undefined
            ? {
                apiVersion: listApi ?? TYPED_LIST_API[listKind.slice(0, -4)] ?? 'v1',
                kind: listKind.slice(0, -4),
                ...raw,
              }
            : raw;
        const source = isList ? `${file}#${i}.items[${j}]` : `${file}#${i}`;
        const meta = isRecord(item) && isRecord(item.metadata) ? item.metadata : null;
        if (
          !isRecord(item) ||
          typeof item.apiVersion !== 'string' ||
          typeof item.kind !== 'string' ||
          !meta ||
          typeof meta.name !== 'string' ||
          meta.name === ''
        ) {
          result.refused.push({ source, reason: 'not a Kubernetes object' });
          return;
        }
        if (hasTemplate(item)) {
          result.refused.push({ source, reason: 'template placeholders in its identity' });
          return;
        }
        result.objects.push({ object: item, source });
      });
    });
  }
  return result;
}
