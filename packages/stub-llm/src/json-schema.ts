import { isRecord } from './json.js';

/**
 * The small subset of JSON Schema the canary tools use (type, properties, required,
 * additionalProperties: false, enum, pattern, string lengths, numeric bounds, items). Enough to
 * tell whether a call's arguments were in schema; not a general validator.
 */
export interface JsonSchema {
  type?: 'object' | 'string' | 'number' | 'integer' | 'boolean' | 'array';
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  enum?: readonly (string | number)[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  items?: JsonSchema;
}

/** Problems found in `value` against `schema`, as `path: message` strings (empty: valid). */
export function schemaProblems(schema: JsonSchema, value: unknown, path = '$'): string[] {
  const out: string[] = [];
  if (schema.enum && !schema.enum.some((e) => e === value)) {
    out.push(`${path}: must be one of ${schema.enum.join(', ')}`);
  }
  switch (schema.type) {
    case 'object': {
      if (!isRecord(value)) return [...out, `${path}: must be an object`];
      for (const key of schema.required ?? []) {
        if (!(key in value)) out.push(`${path}.${key}: is required`);
      }
      for (const [key, item] of Object.entries(value)) {
        const sub = schema.properties?.[key];
        if (sub) out.push(...schemaProblems(sub, item, `${path}.${key}`));
        else if (schema.additionalProperties === false) out.push(`${path}.${key}: is not allowed`);
      }
      return out;
    }
    case 'array':
      if (!Array.isArray(value)) return [...out, `${path}: must be an array`];
      if (schema.items) {
        const items = schema.items;
        value.forEach((item, i) => out.push(...schemaProblems(items, item, `${path}[${i}]`)));
      }
      return out;
    case 'string':
      if (typeof value !== 'string') return [...out, `${path}: must be a string`];
      if (schema.minLength !== undefined && value.length < schema.minLength)
        out.push(`${path}: is shorter than ${schema.minLength}`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        out.push(`${path}: is longer than ${schema.maxLength}`);
      if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value))
        out.push(`${path}: does not match ${schema.pattern}`);
      return out;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return [...out, `${path}: must be a number`];
      if (schema.type === 'integer' && !Number.isInteger(value))
        out.push(`${path}: must be an integer`);
      if (schema.minimum !== undefined && value < schema.minimum)
        out.push(`${path}: is below ${schema.minimum}`);
      if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum)
        out.push(`${path}: must be above ${schema.exclusiveMinimum}`);
      if (schema.maximum !== undefined && value > schema.maximum)
        out.push(`${path}: is above ${schema.maximum}`);
      return out;
    case 'boolean':
      return typeof value === 'boolean' ? out : [...out, `${path}: must be a boolean`];
    default:
      return out;
  }
}
