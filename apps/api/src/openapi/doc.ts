import { SetMetadata } from '@nestjs/common';
import type { z } from 'zod';

export const DOC_METADATA = 'plumbline:doc';

/** How a route is authenticated (see route-policy.ts and the guards). */
export type DocAuth = 'public' | 'session' | 'org' | 'scanner-token' | 'metrics';

export interface DocSpec {
  summary: string;
  description?: string;
  tag: string;
  auth: DocAuth;
  /** Lowest organisation role allowed (org routes). */
  minRole?: 'viewer' | 'member' | 'admin' | 'owner';
  body?: z.ZodType;
  /** The body may be left out (it is read as `{}`). */
  bodyOptional?: boolean;
  query?: z.ZodType;
  response?: z.ZodType;
  /** Success status (default 200). */
  status?: number;
  /** Media type of the success response (default application/json). */
  produces?: string[];
}

/**
 * Describes a route for the OpenAPI document (docs/openapi.json), generated from these
 * decorators and Nest's own route metadata: the document cannot drift from the code (a test
 * regenerates and compares it, and fails for any registered route without a Doc).
 */
export const Doc = (spec: DocSpec) => SetMetadata(DOC_METADATA, spec);
