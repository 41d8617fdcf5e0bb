import http from 'node:http';

export interface JsonAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  body: any;
}

/**
 * One JSON request over a keep-alive agent to a service on the loopback interface. A transport
 * error (connection refused or reset) resolves with status 0 rather than throwing, so a load loop
 * can count it as a failed request.
 */
export function requestJson(
  agent: http.Agent,
  port: number,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: keep the text for the failure message
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
        response.on('error', (error) => resolve({ status: 0, body: String(error) }));
      },
    );
    request.on('error', (error) => resolve({ status: 0, body: String(error) }));
    request.end(payload);
  });
}
