import type { HttpApp } from '@voting/runtime';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface RecordedResponse {
  method: string;
  route: string;
  status: number;
  contentType: string;
  body: string;
}

/** Records every response the app sends, with the route template that produced it. */
export function recordResponses(app: HttpApp): RecordedResponse[] {
  const recorded: RecordedResponse[] = [];
  app.addHook('onSend', async (request, reply, payload) => {
    recorded.push({
      method: request.method.toLowerCase(),
      route: request.routeOptions.url ?? '',
      status: reply.statusCode,
      contentType: String(reply.getHeader('content-type') ?? ''),
      body: typeof payload === 'string' ? payload : '',
    });
    return payload;
  });
  return recorded;
}

/**
 * Checks each recorded JSON response against the schema the app's own /openapi.json documents for
 * that path, method and status. Returns the problems; an undocumented status is one.
 */
export async function openApiProblems(
  app: HttpApp,
  recorded: RecordedResponse[],
): Promise<string[]> {
  const document = (await app.inject({ url: '/openapi.json' })).json();
  const ajv = addFormats.default(new Ajv2020({ strict: false, allErrors: true }));
  const problems: string[] = [];
  for (const response of recorded) {
    const path = response.route.replace(/:(\w+)/g, '{$1}');
    const operation = document.paths?.[path]?.[response.method];
    if (!operation) continue; // hidden operational routes (/health, /metrics, …)
    const documented = operation.responses?.[String(response.status)];
    const where = `${response.method.toUpperCase()} ${path} → ${response.status}`;
    if (!documented) {
      problems.push(`${where} is not documented`);
      continue;
    }
    const schema = documented.content?.['application/json']?.schema;
    if (!schema || !response.contentType.startsWith('application/json')) continue;
    const validate = ajv.compile(schema);
    if (!validate(JSON.parse(response.body))) {
      problems.push(
        `${where}: ${ajv.errorsText(validate.errors)} in ${response.body.slice(0, 200)}`,
      );
    }
  }
  return problems;
}
