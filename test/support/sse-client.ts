import http from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
  /** performance.now() when the event's terminating blank line arrived. */
  receivedAt: number;
  /** `data` parsed as JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: test payloads are checked field by field
  json: any;
}

export interface SseClient {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: SseEvent[];
  comments: string[];
  /** Resolves with the first event (already received or to come) that matches, or rejects. */
  waitForEvent: (match: (event: SseEvent) => boolean, timeoutMs?: number) => Promise<SseEvent>;
  waitForComment: (timeoutMs?: number) => Promise<string>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close: () => void;
}

/**
 * A minimal Server-Sent Events client over node:http (no EventSource in Node 20): parses `id:`,
 * `event:`, `data:` and comment lines, as the spec's "interpret the event stream" section says.
 */
export function connectSse(
  url: string,
  headers: Record<string, string> = {},
  agent?: http.Agent,
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { accept: 'text/event-stream', ...headers }, agent });
    request.on('error', reject);
    request.on('response', (response) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      const notify = () => {
        for (const waiter of [...waiters]) waiter();
      };
      let buffer = '';
      let current: { id?: string; event?: string; data: string[] } = { data: [] };
      let lastId: string | undefined;
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        for (;;) {
          const newline = buffer.indexOf('\n');
          if (newline < 0) break;
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (current.id !== undefined) lastId = current.id;
            if (current.data.length > 0) {
              const data = current.data.join('\n');
              let json: unknown;
              try {
                json = JSON.parse(data);
              } catch {
                json = undefined;
              }
              events.push({
                id: lastId,
                event: current.event ?? 'message',
                data,
                json,
                receivedAt: performance.now(),
              });
            }
            current = { data: [] };
            notify();
            continue;
          }
          if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
            notify();
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') current.id = value;
          else if (field === 'event') current.event = value;
          else if (field === 'data') current.data.push(value);
        }
      });
      const ended = new Promise<void>((done) => {
        response.on('close', () => {
          done();
          notify();
        });
      });
      const waitFor = <T>(find: () => T | undefined, timeoutMs: number, what: string) =>
        new Promise<T>((resolveWait, rejectWait) => {
          const check = () => {
            const found = find();
            if (found === undefined) return;
            cleanup();
            resolveWait(found);
          };
          const timer = setTimeout(() => {
            cleanup();
            rejectWait(new Error(`no ${what} within ${timeoutMs} ms (${events.length} events)`));
          }, timeoutMs);
          const cleanup = () => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        });
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        events,
        comments,
        ended,
        waitForEvent: (match, timeoutMs = 3000) =>
          waitFor(() => events.find(match), timeoutMs, 'matching event'),
        waitForComment: (timeoutMs = 3000) => waitFor(() => comments.at(-1), timeoutMs, 'comment'),
        close: () => {
          request.destroy();
        },
      });
    });
  });
}
