import path from 'node:path';
import * as monitoring from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as batch from 'kubernetes-models/batch/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as core from 'kubernetes-models/v1';
import ts from 'typescript';
import type { K8sObject } from './manifests.ts';
import { repositoryRoot } from './tools.ts';

interface Model {
  new (data: never): { validate: () => void };
}

interface Schema {
  /** kubernetes-models' JSON-schema validation (types, required fields, formats). */
  model?: Model;
  /** The TypeScript type that lists every field the kind has, for the unknown-field check. */
  typeModule: string;
  typeName: string;
}

/** Every kind the manifests may use. A kind not listed here fails the validation test. */
export const schemas: Record<string, Schema> = {
  'v1/Namespace': {
    model: core.Namespace,
    typeModule: 'kubernetes-models/v1/Namespace',
    typeName: 'INamespace',
  },
  'v1/ServiceAccount': {
    model: core.ServiceAccount,
    typeModule: 'kubernetes-models/v1/ServiceAccount',
    typeName: 'IServiceAccount',
  },
  'v1/ConfigMap': {
    model: core.ConfigMap,
    typeModule: 'kubernetes-models/v1/ConfigMap',
    typeName: 'IConfigMap',
  },
  'v1/Secret': {
    model: core.Secret,
    typeModule: 'kubernetes-models/v1/Secret',
    typeName: 'ISecret',
  },
  'v1/Service': {
    model: core.Service,
    typeModule: 'kubernetes-models/v1/Service',
    typeName: 'IService',
  },
  'apps/v1/Deployment': {
    model: apps.Deployment,
    typeModule: 'kubernetes-models/apps/v1/Deployment',
    typeName: 'IDeployment',
  },
  'apps/v1/StatefulSet': {
    model: apps.StatefulSet,
    typeModule: 'kubernetes-models/apps/v1/StatefulSet',
    typeName: 'IStatefulSet',
  },
  'batch/v1/Job': {
    model: batch.Job,
    typeModule: 'kubernetes-models/batch/v1/Job',
    typeName: 'IJob',
  },
  'policy/v1/PodDisruptionBudget': {
    model: policy.PodDisruptionBudget,
    typeModule: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    typeName: 'IPodDisruptionBudget',
  },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: autoscaling.HorizontalPodAutoscaler,
    typeModule: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    typeName: 'IHorizontalPodAutoscaler',
  },
  'networking.k8s.io/v1/NetworkPolicy': {
    model: networking.NetworkPolicy,
    typeModule: 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
    typeName: 'INetworkPolicy',
  },
  'networking.k8s.io/v1/Ingress': {
    model: networking.Ingress,
    typeModule: 'kubernetes-models/networking.k8s.io/v1/Ingress',
    typeName: 'IIngress',
  },
  'monitoring.coreos.com/v1/PodMonitor': {
    model: monitoring.PodMonitor,
    typeModule: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
    typeName: 'IPodMonitor',
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    model: monitoring.PrometheusRule,
    typeModule: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    typeName: 'IPrometheusRule',
  },
  // No model package exists for these: their fields are checked against our typed subsets.
  'postgresql.cnpg.io/v1/Cluster': { typeModule: './cloudnative-pg.ts', typeName: 'CnpgCluster' },
  'postgresql.cnpg.io/v1/Pooler': { typeModule: './cloudnative-pg.ts', typeName: 'CnpgPooler' },
  'postgresql.cnpg.io/v1/ScheduledBackup': {
    typeModule: './cloudnative-pg.ts',
    typeName: 'CnpgScheduledBackup',
  },
  'barmancloud.cnpg.io/v1/ObjectStore': {
    typeModule: './cloudnative-pg.ts',
    typeName: 'BarmanObjectStore',
  },
  'gateway.networking.k8s.io/v1/Gateway': { typeModule: './crds.ts', typeName: 'Gateway' },
  'gateway.networking.k8s.io/v1/HTTPRoute': { typeModule: './crds.ts', typeName: 'HTTPRoute' },
  'cert-manager.io/v1/Certificate': { typeModule: './crds.ts', typeName: 'Certificate' },
  'keda.sh/v1alpha1/ScaledObject': { typeModule: './crds.ts', typeName: 'ScaledObject' },
};

/**
 * Documents the manifests carry inside a ConfigMap, checked like a kind: the OpenTelemetry
 * Collector's configuration and each of its components (support/collector-config.ts).
 */
export const documentTypes: Record<string, Schema> = {
  'otelcol/config': { typeModule: './collector-config.ts', typeName: 'CollectorConfig' },
  'otelcol/receiver/otlp': { typeModule: './collector-config.ts', typeName: 'OtlpReceiver' },
  'otelcol/processor/memory_limiter': {
    typeModule: './collector-config.ts',
    typeName: 'MemoryLimiterProcessor',
  },
  'otelcol/processor/batch': { typeModule: './collector-config.ts', typeName: 'BatchProcessor' },
  'otelcol/exporter/otlp_http': {
    typeModule: './collector-config.ts',
    typeName: 'OtlpHttpExporter',
  },
  'otelcol/exporter/otlp_grpc': {
    typeModule: './collector-config.ts',
    typeName: 'OtlpGrpcExporter',
  },
  'otelcol/exporter/debug': { typeModule: './collector-config.ts', typeName: 'DebugExporter' },
  'otelcol/extension/health_check': {
    typeModule: './collector-config.ts',
    typeName: 'HealthCheckExtension',
  },
};

export const schemaKey = (object: K8sObject) => `${object.apiVersion}/${object.kind}`;

/** JSON-schema problems of one object, as kubernetes-models reports them ([] when valid). */
export function schemaProblems(object: K8sObject): string[] {
  const schema = schemas[schemaKey(object)];
  if (!schema) return [`${schemaKey(object)} is not a kind these tests know`];
  if (!schema.model) return [];
  try {
    new schema.model(withUnwrappedSecretData(object) as never).validate();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

/**
 * kustomize wraps long base64 Secret values over several lines; the API server's decoder skips
 * the line breaks, the JSON schema's "byte" format does not.
 */
function withUnwrappedSecretData(object: K8sObject): K8sObject {
  if (object.kind !== 'Secret' || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([k, v]) => [
      k,
      v.replace(/\s/g, ''),
    ]),
  );
  return { ...object, data };
}

let checker: { check: ts.TypeChecker; types: Map<string, ts.Type> } | undefined;

/**
 * Compiles the kinds' TypeScript types once (kubernetes-models ships one interface per kind,
 * generated from the same OpenAPI schema the API server uses).
 */
function typeChecker() {
  if (checker) return checker;
  const entries = [...Object.entries(schemas), ...Object.entries(documentTypes)];
  const virtualFile = path.join(repositoryRoot, 'test/deploy/support/__kinds__.ts');
  const source = entries
    .map(
      ([, schema], index) =>
        `import type { ${schema.typeName} as T${index} } from '${schema.typeModule}';\nexport type K${index} = T${index};`,
    )
    .join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, ...rest) =>
    fileName === virtualFile
      ? ts.createSourceFile(fileName, source, language)
      : getSourceFile(fileName, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => fileName === virtualFile || fileExists(fileName);
  const program = ts.createProgram([virtualFile], options, host);
  const diagnostics = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName === virtualFile);
  if (diagnostics.length > 0) {
    throw new Error(
      diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'),
    );
  }
  const check = program.getTypeChecker();
  const file = program.getSourceFile(virtualFile);
  const moduleSymbol = file && check.getSymbolAtLocation(file);
  if (!moduleSymbol) throw new Error('could not compile the kinds file');
  const exported = new Map(
    check.getExportsOfModule(moduleSymbol).map((symbol) => [symbol.name, symbol]),
  );
  const types = new Map<string, ts.Type>();
  entries.forEach(([kind], index) => {
    const symbol = exported.get(`K${index}`);
    if (symbol) types.set(kind, check.getDeclaredTypeOfSymbol(symbol));
  });
  checker = { check, types };
  return checker;
}

/**
 * Fields the kind does not have, and scalar values of the wrong type or outside an enum, like
 * `kubectl apply --validate=strict` would refuse (kubernetes-models' own validation lets unknown
 * fields through, and a typo'd field is silently ignored by the API server without strictness).
 */
export function fieldProblems(object: K8sObject): string[] {
  return typedProblems(schemaKey(object), object);
}

/** The same check for a document of documentTypes (`otelcol/config`, `otelcol/exporter/debug`…). */
export function documentProblems(documentType: string, value: unknown): string[] {
  if (!documentTypes[documentType]) return [`${documentType} is not a document these tests know`];
  return typedProblems(documentType, value);
}

function typedProblems(name: string, value: unknown): string[] {
  const { check, types } = typeChecker();
  const type = types.get(name);
  if (!type) return [`${name} is not a kind these tests know`];
  const problems: string[] = [];
  walk(check, value, type, '', problems);
  return problems;
}

function walk(
  check: ts.TypeChecker,
  value: unknown,
  declared: ts.Type,
  at: string,
  problems: string[],
): void {
  const type = check.getNonNullableType(declared);
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
  const members = type.isUnion() ? type.types : [type];

  if (value === null || typeof value !== 'object') {
    const accepted = members.some((member) => scalarFits(member, value));
    if (!accepted)
      problems.push(`${at || '/'}: ${JSON.stringify(value)} is not a ${check.typeToString(type)}`);
    return;
  }
  if (Array.isArray(value)) {
    const element = members
      .map((member) => check.getIndexTypeOfType(member, ts.IndexKind.Number))
      .find(Boolean);
    if (!element) {
      problems.push(`${at}: an array where ${check.typeToString(type)} is expected`);
      return;
    }
    for (const [index, item] of value.entries())
      walk(check, item, element, `${at}[${index}]`, problems);
    return;
  }
  for (const [field, child] of Object.entries(value)) {
    const property = members.map((member) => member.getProperty(field)).find(Boolean);
    if (property) {
      walk(check, child, check.getTypeOfSymbol(property), `${at}/${field}`, problems);
      continue;
    }
    const index = members
      .map((member) => check.getIndexTypeOfType(member, ts.IndexKind.String))
      .find(Boolean);
    if (index) walk(check, child, index, `${at}/${field}`, problems);
    else problems.push(`${at}/${field}: no such field`);
  }
}

function scalarFits(type: ts.Type, value: unknown): boolean {
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
  if (type.isStringLiteral() || type.isNumberLiteral()) return type.value === value;
  if (type.flags & ts.TypeFlags.BooleanLiteral) return typeof value === 'boolean';
  if (type.flags & ts.TypeFlags.String) return typeof value === 'string';
  if (type.flags & ts.TypeFlags.Number) return typeof value === 'number';
  if (type.flags & ts.TypeFlags.Boolean) return typeof value === 'boolean';
  if (type.flags & ts.TypeFlags.Null) return value === null;
  return false;
}
