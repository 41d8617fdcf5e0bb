/**
 * An OTLP/HTTP trace receiver for tests: a node:http server on 127.0.0.1 that takes
 * `POST /v1/traces` as protobuf (what the services' exporter sends) or JSON, decodes it and keeps
 * the spans, each with its resource. The protobuf is read by a small wire-format reader of the few
 * messages of opentelemetry-proto's trace service (field numbers below): no dependency.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type AttributeValue = string | number | boolean | AttributeValue[] | null;
export type Attributes = Record<string, AttributeValue>;

export interface ReceivedLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  /** OTLP's SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  links: ReceivedLink[];
  droppedLinksCount: number;
  /** 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  events: { name: string; attributes: Attributes }[];
  resource: Attributes;
  scope: string;
}

export const SPAN_KIND = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

export interface OtlpReceiver {
  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT (the exporter adds /v1/traces). */
  url: string;
  spans: ReceivedSpan[];
  /** Export requests received, whatever they held. */
  requests: number;
  /** Resolves once `predicate` holds for the spans received, or rejects after `timeoutMs`. */
  waitFor: (predicate: (spans: ReceivedSpan[]) => boolean, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const receiver = { spans: [] as ReceivedSpan[], requests: 0 };
  const waiters = new Set<() => void>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      receiver.requests++;
      const body = Buffer.concat(chunks);
      try {
        const json = /json/.test(String(request.headers['content-type']));
        receiver.spans.push(...(json ? decodeJson(body) : decodeProtobuf(body)));
      } catch (error) {
        response.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      // An empty ExportTraceServiceResponse: everything accepted.
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get spans() {
      return receiver.spans;
    },
    get requests() {
      return receiver.requests;
    },
    waitFor: (predicate, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(receiver.spans)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `the spans awaited did not arrive within ${timeoutMs} ms; received: ${receiver.spans
                .map((span) => `${span.resource['service.name']}:${span.name}`)
                .join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// --- protobuf, the wire format: https://protobuf.dev/programming-guides/encoding/ -----------------

interface Field {
  number: number;
  /** Varint and fixed values as bigint; length-delimited as bytes. */
  value: bigint | Buffer;
}

function readFields(buffer: Buffer): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < buffer.length) {
    const key = Number(varint());
    const number = key >>> 3;
    switch (key & 7) {
      case 0:
        fields.push({ number, value: varint() });
        break;
      case 1:
        fields.push({ number, value: buffer.readBigUInt64LE(offset) });
        offset += 8;
        break;
      case 2: {
        const length = Number(varint());
        fields.push({ number, value: buffer.subarray(offset, offset + length) });
        offset += length;
        break;
      }
      case 5:
        fields.push({ number, value: BigInt(buffer.readUInt32LE(offset)) });
        offset += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
  return fields;
}

const bytesOf = (fields: Field[], number: number): Buffer[] =>
  fields
    .filter((f) => f.number === number && Buffer.isBuffer(f.value))
    .map((f) => f.value as Buffer);
const firstBytes = (fields: Field[], number: number) => bytesOf(fields, number)[0];
const stringOf = (fields: Field[], number: number) =>
  firstBytes(fields, number)?.toString('utf8') ?? '';
const hexOf = (fields: Field[], number: number) =>
  firstBytes(fields, number)?.toString('hex') ?? '';
const numberOf = (fields: Field[], number: number): bigint => {
  const field = fields.find((f) => f.number === number && typeof f.value === 'bigint');
  return (field?.value as bigint | undefined) ?? 0n;
};

function anyValue(buffer: Buffer): AttributeValue {
  const [field] = readFields(buffer);
  if (!field) return null;
  switch (field.number) {
    case 1:
      return (field.value as Buffer).toString('utf8');
    case 2:
      return field.value === 1n;
    case 3:
      return Number(BigInt.asIntN(64, field.value as bigint));
    case 4: {
      const bytes = Buffer.alloc(8);
      bytes.writeBigUInt64LE(field.value as bigint);
      return bytes.readDoubleLE(0);
    }
    case 5:
      return bytesOf(readFields(field.value as Buffer), 1).map(anyValue);
    case 7:
      return (field.value as Buffer).toString('hex');
    default:
      return null;
  }
}

function attributesOf(fields: Field[], number: number): Attributes {
  const attributes: Attributes = {};
  for (const pair of bytesOf(fields, number)) {
    const keyValue = readFields(pair);
    const value = firstBytes(keyValue, 2);
    attributes[stringOf(keyValue, 1)] = value ? anyValue(value) : null;
  }
  return attributes;
}

/** ExportTraceServiceRequest → ResourceSpans(1) → Resource(1) + ScopeSpans(2) → Span(2). */
export function decodeProtobuf(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of bytesOf(readFields(body), 1)) {
    const resourceFields = readFields(resourceSpans);
    const resourceBytes = firstBytes(resourceFields, 1);
    const resource = resourceBytes ? attributesOf(readFields(resourceBytes), 1) : {};
    for (const scopeSpans of bytesOf(resourceFields, 2)) {
      const scopeFields = readFields(scopeSpans);
      const scopeBytes = firstBytes(scopeFields, 1);
      const scope = scopeBytes ? stringOf(readFields(scopeBytes), 1) : '';
      for (const spanBytes of bytesOf(scopeFields, 2)) {
        const span = readFields(spanBytes);
        const statusBytes = firstBytes(span, 15);
        const status = statusBytes ? readFields(statusBytes) : [];
        spans.push({
          traceId: hexOf(span, 1),
          spanId: hexOf(span, 2),
          parentSpanId: hexOf(span, 4),
          name: stringOf(span, 5),
          kind: Number(numberOf(span, 6)),
          startTimeUnixNano: numberOf(span, 7),
          endTimeUnixNano: numberOf(span, 8),
          attributes: attributesOf(span, 9),
          events: bytesOf(span, 11).map((eventBytes) => {
            const event = readFields(eventBytes);
            return { name: stringOf(event, 2), attributes: attributesOf(event, 3) };
          }),
          links: bytesOf(span, 13).map((linkBytes) => {
            const link = readFields(linkBytes);
            return {
              traceId: hexOf(link, 1),
              spanId: hexOf(link, 2),
              attributes: attributesOf(link, 4),
            };
          }),
          droppedLinksCount: Number(numberOf(span, 14)),
          statusMessage: stringOf(status, 2),
          statusCode: Number(numberOf(status, 3)),
          resource,
          scope,
        });
      }
    }
  }
  return spans;
}

// --- JSON (OTLP/HTTP JSON: ids in hex, numbers of 64 bits as strings) -----------------------------

interface JsonKeyValue {
  key: string;
  value?: Record<string, unknown>;
}

function jsonValue(value: Record<string, unknown> | undefined): AttributeValue {
  if (!value) return null;
  if ('stringValue' in value) return String(value.stringValue);
  if ('boolValue' in value) return Boolean(value.boolValue);
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('arrayValue' in value)
    return ((value.arrayValue as { values?: Record<string, unknown>[] }).values ?? []).map(
      jsonValue,
    );
  return null;
}

const jsonAttributes = (pairs: JsonKeyValue[] | undefined): Attributes =>
  Object.fromEntries((pairs ?? []).map((pair) => [pair.key, jsonValue(pair.value)]));

export function decodeJson(body: Buffer): ReceivedSpan[] {
  // biome-ignore lint/suspicious/noExplicitAny: the OTLP JSON shape, read field by field below
  const request = JSON.parse(body.toString('utf8')) as any;
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = jsonAttributes(resourceSpans.resource?.attributes);
    for (const scopeSpans of resourceSpans.scopeSpans ?? [])
      for (const span of scopeSpans.spans ?? [])
        spans.push({
          traceId: span.traceId ?? '',
          spanId: span.spanId ?? '',
          parentSpanId: span.parentSpanId ?? '',
          name: span.name ?? '',
          kind: Number(span.kind ?? 0),
          startTimeUnixNano: BigInt(span.startTimeUnixNano ?? 0),
          endTimeUnixNano: BigInt(span.endTimeUnixNano ?? 0),
          attributes: jsonAttributes(span.attributes),
          events: (span.events ?? []).map(
            (event: { name?: string; attributes?: JsonKeyValue[] }) => ({
              name: event.name ?? '',
              attributes: jsonAttributes(event.attributes),
            }),
          ),
          links: (span.links ?? []).map(
            (link: { traceId?: string; spanId?: string; attributes?: JsonKeyValue[] }) => ({
              traceId: link.traceId ?? '',
              spanId: link.spanId ?? '',
              attributes: jsonAttributes(link.attributes),
            }),
          ),
          droppedLinksCount: Number(span.droppedLinksCount ?? 0),
          statusMessage: span.status?.message ?? '',
          statusCode: Number(span.status?.code ?? 0),
          resource,
          scope: scopeSpans.scope?.name ?? '',
        });
  }
  return spans;
}
