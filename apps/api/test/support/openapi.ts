/** The parts of an OpenAPI 3 document the fuzz suite and the cross-tenant sweep read. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  required?: string[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Schema }> };
  security?: Record<string, string[]>[];
  responses?: Record<string, unknown>;
}

export interface OpenApiDocument {
  paths: Record<string, Partial<Record<HttpMethod, Operation>>>;
  components: { schemas: Record<string, Schema> };
}

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface DocumentedOperation {
  method: HttpMethod;
  path: string;
  op: Operation;
}

export function operationsOf(doc: OpenApiDocument): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op) out.push({ method, path, op });
    }
  }
  return out;
}

/** Follows $ref and merges allOf, so callers see one schema with its own properties. */
export function resolve(doc: OpenApiDocument, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`unresolved ${schema.$ref}`);
    return resolve(doc, { ...target, ...(schema.nullable ? { nullable: true } : {}) });
  }
  if (schema.allOf) {
    const parts = schema.allOf.map((s) => resolve(doc, s));
    const merged: Schema = { ...schema, allOf: undefined };
    for (const p of parts) {
      merged.type ??= p.type;
      merged.properties = { ...merged.properties, ...p.properties };
      merged.required = [...(merged.required ?? []), ...(p.required ?? [])];
      if (p.nullable) merged.nullable = true;
    }
    return merged;
  }
  return schema;
}

/** The JSON body schema of an operation, resolved, or undefined when it takes none. */
export function jsonBodyOf(doc: OpenApiDocument, op: Operation): Schema | undefined {
  const schema = op.requestBody?.content['application/json']?.schema;
  return schema ? resolve(doc, schema) : undefined;
}
