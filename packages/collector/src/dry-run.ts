import {
  clusterSnapshotSchema,
  SNAPSHOT_OBJECT_LISTS,
  type ClusterSnapshot,
} from '@plumbline/contracts';
import { z } from 'zod';

/**
 * What leaves the cluster, per resource type, read from the contract itself (so it cannot drift
 * from what is sent), with one real, already-redacted object as a sample.
 */

function fieldsOf(schema: z.ZodType, prefix: string, out: string[]): void {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    fieldsOf(schema.unwrap() as z.ZodType, prefix, out);
  } else if (schema instanceof z.ZodObject) {
    for (const [k, v] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      fieldsOf(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (schema instanceof z.ZodArray) {
    fieldsOf(schema.element as z.ZodType, `${prefix}[]`, out);
  } else if (schema instanceof z.ZodDiscriminatedUnion || schema instanceof z.ZodUnion) {
    const seen = new Set(out);
    for (const option of schema.options as z.ZodType[]) {
      const sub: string[] = [];
      fieldsOf(option, prefix, sub);
      for (const f of sub) {
        if (seen.has(f)) continue;
        seen.add(f);
        out.push(f);
      }
    }
  } else if (schema instanceof z.ZodRecord) {
    out.push(`${prefix}{key: value}`);
  } else if (schema instanceof z.ZodLazy || schema.constructor.name === 'ZodJSONSchema') {
    out.push(`${prefix} (full spec, after the credential check)`);
  } else {
    out.push(prefix);
  }
}

export function describeSnapshotFields(): Record<string, string[]> {
  const shape = clusterSnapshotSchema.shape;
  const out: Record<string, string[]> = {};
  for (const [key, schema] of Object.entries(shape)) {
    const fields: string[] = [];
    fieldsOf(schema as z.ZodType, '', fields);
    out[key] = fields.map((f) => f.replace(/^\[\]\.?/, '')).filter((f) => f !== '');
  }
  return out;
}

export interface DryRunSection {
  section: string;
  count: number;
  fields: string[];
  sample: unknown;
}

export function dryRunReport(snapshot: ClusterSnapshot): DryRunSection[] {
  const fields = describeSnapshotFields();
  const configFields = (name: 'configMaps' | 'customResources') =>
    (fields.config ?? [])
      .filter((f) => f.startsWith(`${name}[]`))
      .map((f) => f.replace(`${name}[].`, ''));
  const sections: DryRunSection[] = [
    { section: 'cluster', count: 1, fields: fields.cluster ?? [], sample: snapshot.cluster },
  ];
  for (const list of SNAPSHOT_OBJECT_LISTS) {
    sections.push({
      section: list,
      count: snapshot[list].length,
      fields: fields[list] ?? [],
      sample: snapshot[list][0] ?? null,
    });
  }
  sections.push(
    {
      section: 'config.configMaps',
      count: snapshot.config.configMaps.length,
      fields: configFields('configMaps'),
      sample: snapshot.config.configMaps[0] ?? null,
    },
    {
      section: 'config.customResources',
      count: snapshot.config.customResources.length,
      fields: configFields('customResources'),
      sample: snapshot.config.customResources[0] ?? null,
    },
    {
      section: 'collection',
      count: snapshot.collection.length,
      fields: fields.collection ?? [],
      sample: snapshot.collection[0] ?? null,
    },
    {
      section: 'warnings',
      count: snapshot.warnings.length,
      fields: fields.warnings ?? [],
      sample: snapshot.warnings[0] ?? null,
    },
  );
  return sections;
}
