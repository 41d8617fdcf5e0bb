import type { HttpApp } from '@voting/runtime';

/** A JSON Schema as the services' /openapi.json writes it (the parts the fuzzer reads). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

/** One documented operation of one service, as its own /openapi.json describes it. */
export interface Operation {
  service: string;
  method: string;
  /** The OpenAPI path, `{id}` style. */
  path: string;
  parameters: Parameter[];
  /** The JSON request body's schema, when the operation takes one. */
  body: JsonSchema | undefined;
  /** Answers text/event-stream: read up to its headers, then hung up on. */
  streams: boolean;
}

interface OpenApiOperation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/** Every operation the app's /openapi.json documents. */
export async function operationsOf(app: HttpApp, service: string): Promise<Operation[]> {
  const document = (await app.inject({ url: '/openapi.json' })).json() as {
    paths?: Record<string, Record<string, OpenApiOperation>>;
  };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(methods)) {
      const produces = Object.keys(operation.responses?.['200']?.content ?? {});
      operations.push({
        service,
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema,
        streams: produces.includes('text/event-stream') || path.endsWith('/stream'),
      });
    }
  }
  return operations;
}

/** The operation's name in reports: `vote POST /rounds/{id}/close`. */
export const operationName = (operation: Operation) =>
  `${operation.service} ${operation.method} ${operation.path}`;
