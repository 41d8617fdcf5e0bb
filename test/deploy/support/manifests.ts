import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { operatorPods } from './operator-pods.ts';
import { kubectl, repositoryRoot, run } from './tools.ts';

/** A rendered Kubernetes object, loosely typed: the tests read it like YAML. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML, checked field by field by the tests
  spec?: any;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
  data?: any;
  [field: string]: unknown;
}

export const k8sRoot = path.join(repositoryRoot, 'deploy/k8s');
export const overlays = ['local', 'production', 'restore-drill'] as const;
/** The overlays that run the services (restore-drill holds a database only). */
export const serviceOverlays = ['local', 'production'] as const;
export type Overlay = (typeof overlays)[number];

const rendered = new Map<string, K8sObject[]>();

/** `kubectl kustomize <dir>` parsed into objects (cached per directory for the test run). */
export function render(directory: string): K8sObject[] {
  const absolute = path.resolve(k8sRoot, directory);
  const cached = rendered.get(absolute);
  if (cached) return cached;
  const result = run(kubectl(), ['kustomize', absolute]);
  if (result.status !== 0)
    throw new Error(`kubectl kustomize ${directory} failed:\n${result.stderr}`);
  const objects = parseYamlObjects(result.stdout, directory);
  rendered.set(absolute, objects);
  return objects;
}

/**
 * An overlay rendered with optional components on top (the components no overlay turns on by
 * default), through a kustomization written to a temporary directory — in the overlay's
 * namespace, as an overlay of your own would be: without it the components' objects have none,
 * and kustomize leaves the overlay's references to the components' generated ConfigMaps
 * unresolved (a namespaced object refers only to ConfigMaps of its own namespace).
 */
export function renderWith(overlay: string, components: string[]): K8sObject[] {
  const directory = mkdtempSync(path.join(tmpdir(), 'voting-kustomize-'));
  try {
    const namespace = render(overlay).find((object) => object.kind === 'Namespace')?.metadata.name;
    const kustomization = {
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      ...(namespace ? { namespace } : {}),
      // kustomize takes relative paths only.
      resources: [path.relative(directory, path.resolve(k8sRoot, overlay))],
      components: components.map((c) => path.relative(directory, path.resolve(k8sRoot, c))),
    };
    writeFileSync(path.join(directory, 'kustomization.yaml'), JSON.stringify(kustomization));
    const result = run(kubectl(), ['kustomize', directory]);
    if (result.status !== 0)
      throw new Error(`kubectl kustomize ${overlay} + ${components} failed:\n${result.stderr}`);
    return parseYamlObjects(result.stdout, overlay);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function parseYamlObjects(text: string, source: string): K8sObject[] {
  return parseAllDocuments(text).flatMap((document) => {
    if (document.errors.length > 0) throw new Error(`${source}: ${document.errors[0]?.message}`);
    const value = document.toJS() as K8sObject | null;
    return value ? [value] : [];
  });
}

export const key = (object: K8sObject) => `${object.kind}/${object.metadata.name}`;

export function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} in the rendered objects`);
  return found;
}

/** Deployments, StatefulSets, DaemonSets and Jobs: everything that runs pods from a template. */
export const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

export interface PodTemplate {
  owner: K8sObject;
  labels: Record<string, string>;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML
  spec: any;
}

export function podTemplates(objects: K8sObject[]): PodTemplate[] {
  return objects
    .filter((object) => workloadKinds.includes(object.kind))
    .map((owner) => ({
      owner,
      labels: owner.spec.template.metadata?.labels ?? {},
      spec: owner.spec.template.spec,
    }));
}

/**
 * The labels of every pod the rendered objects will create: workload templates, plus the pods
 * CloudNativePG creates for a Cluster and a Pooler, with the labels the operator really sets
 * (operator-pods.ts).
 */
export function podLabelSets(
  objects: K8sObject[],
): { source: string; labels: Record<string, string> }[] {
  return [
    ...podTemplates(objects).map((template) => ({
      source: key(template.owner),
      labels: template.labels,
    })),
    ...operatorPods(objects).map(({ source, labels }) => ({ source, labels })),
  ];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function selects(selector: LabelSelector, labels: Record<string, string>): boolean {
  for (const [name, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[name] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const ok =
      expression.operator === 'In'
        ? value !== undefined && values.includes(value)
        : expression.operator === 'NotIn'
          ? value === undefined || !values.includes(value)
          : expression.operator === 'Exists'
            ? value !== undefined
            : value === undefined;
    if (!ok) return false;
  }
  return true;
}
