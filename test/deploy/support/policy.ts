import {
  type K8sObject,
  key,
  type LabelSelector,
  podLabelSets,
  podTemplates,
  selects,
} from './manifests.ts';

/**
 * The project's own policy over rendered manifests. Each function returns its violations as
 * sentences ([] = compliant), so a failing test says what to fix.
 */

/** Pods and containers: hardened, sized, probed, pinned. */
export function workloadViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const serviceAccounts = new Map(
    objects.filter((o) => o.kind === 'ServiceAccount').map((o) => [o.metadata.name, o]),
  );
  for (const { owner, spec } of podTemplates(objects)) {
    const where = key(owner);
    const pod = spec.securityContext ?? {};
    if (pod.runAsNonRoot !== true)
      problems.push(`${where}: pod securityContext.runAsNonRoot is not true`);
    if (pod.seccompProfile?.type !== 'RuntimeDefault')
      problems.push(`${where}: pod seccompProfile is not RuntimeDefault`);
    const account = serviceAccounts.get(spec.serviceAccountName);
    if (!account)
      problems.push(`${where}: its ServiceAccount "${spec.serviceAccountName}" is not defined`);
    if (
      spec.automountServiceAccountToken !== false ||
      account?.automountServiceAccountToken !== false
    ) {
      problems.push(`${where}: the service account token is mounted`);
    }
    const longRunning = owner.kind !== 'Job';
    const noProbesReason = owner.metadata.annotations?.['voting.example.com/no-probes'];
    for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
      const at = `${where} container ${container.name}`;
      const resources = container.resources ?? {};
      // No CPU limit is required: the services run without one on purpose (a CFS quota throttles
      // a single-threaded process into tail latency; docs/deploy.md, "Resources").
      for (const [kind, field] of [
        ['requests', 'cpu'],
        ['requests', 'memory'],
        ['limits', 'memory'],
      ] as const) {
        if (resources[kind]?.[field] === undefined) problems.push(`${at}: no ${kind}.${field}`);
      }
      const security = container.securityContext ?? {};
      if (security.allowPrivilegeEscalation !== false)
        problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (security.readOnlyRootFilesystem !== true)
        problems.push(`${at}: readOnlyRootFilesystem is not true`);
      if (security.privileged === true) problems.push(`${at}: privileged`);
      if (!security.capabilities?.drop?.includes('ALL'))
        problems.push(`${at}: capabilities do not drop ALL`);
      if ((security.capabilities?.add ?? []).length > 0) problems.push(`${at}: adds capabilities`);
      if (!fullyQualified(container.image))
        problems.push(`${at}: image ${container.image} names no registry (Docker Hub is assumed)`);
      const tag = imageTag(container.image);
      if (tag === null) problems.push(`${at}: image ${container.image} has no tag or digest`);
      else if (tag === 'latest')
        problems.push(`${at}: image ${container.image} uses the latest tag`);
      if (longRunning && !noProbesReason) {
        for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
          if (!container[probe]) problems.push(`${at}: no ${probe}`);
        }
        const ready = container.readinessProbe?.httpGet?.path;
        const live = container.livenessProbe?.httpGet?.path;
        if (ready !== undefined && ready === live)
          problems.push(`${at}: readiness and liveness probe the same path ${ready}`);
      }
    }
  }
  return problems;
}

/** The tag of an image reference (the digest counts as pinned), or null when it has neither. */
export function imageTag(image: string): string | null {
  if (image.includes('@sha256:')) return image.split('@')[1] ?? null;
  const lastPart = image.split('/').pop() ?? '';
  const colon = lastPart.lastIndexOf(':');
  return colon === -1 ? null : lastPart.slice(colon + 1);
}

/**
 * Whether an image reference names its registry: `voting/vote:dev` silently means
 * docker.io/voting/vote, someone else's image; `localhost/voting/vote:dev` and
 * `registry.example.com/voting/vote` do not.
 */
export function fullyQualified(image: string): boolean {
  const first = image.split('/')[0] ?? '';
  return (
    image.includes('/') && (first === 'localhost' || first.includes('.') || first.includes(':'))
  );
}

/** The marker every Secret value committed to the repository must carry. */
export const LOCAL_ONLY_MARKER = 'local-only';
const secretLookingName = /SECRET|PASSWORD|TOKEN|API_KEY|DATABASE_URL|LISTEN_URL|CREDENTIAL/i;

/**
 * No secret in plain text: every Secret value in the manifests is visibly a local default, and
 * secret-looking variables come from Secrets, not from literals or ConfigMaps.
 */
export function secretViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    if (object.kind === 'Secret') {
      const values = {
        ...Object.fromEntries(
          Object.entries((object.data ?? {}) as Record<string, string>).map(([k, v]) => [
            k,
            Buffer.from(v, 'base64').toString('utf8'),
          ]),
        ),
        ...((object.stringData ?? {}) as Record<string, string>),
      };
      for (const [name, value] of Object.entries(values)) {
        if (!value.includes(LOCAL_ONLY_MARKER))
          problems.push(`${key(object)}: ${name} holds a real-looking value`);
      }
    }
    if (object.kind === 'ConfigMap') {
      for (const name of Object.keys(object.data ?? {})) {
        if (secretLookingName.test(name))
          problems.push(`${key(object)}: ${name} belongs in a Secret`);
      }
    }
  }
  for (const { owner, spec } of podTemplates(objects)) {
    for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
      const fromSecrets = new Set<string>(
        (container.env ?? [])
          .filter((v: { valueFrom?: { secretKeyRef?: unknown } }) => v.valueFrom?.secretKeyRef)
          .map((v: { name: string }) => v.name),
      );
      for (const variable of container.env ?? []) {
        if (
          secretLookingName.test(variable.name) &&
          variable.value !== undefined &&
          !secretOnlyByReference(variable.value, fromSecrets)
        ) {
          problems.push(
            `${key(owner)} container ${container.name}: ${variable.name} is a literal, not a secretKeyRef`,
          );
        }
      }
    }
  }
  return problems;
}

/**
 * A literal whose secret part is a `$(VAR)` the kubelet expands from a secretKeyRef variable (a
 * connection string built around the database operator's password) holds no secret itself: every
 * `$(…)` must name such a variable, and a URL's password must be exactly one of them.
 */
function secretOnlyByReference(value: string, fromSecrets: Set<string>): boolean {
  const references = [...value.matchAll(/\$\(([A-Z0-9_]+)\)/g)].map((match) => match[1] ?? '');
  if (references.length === 0 || !references.every((name) => fromSecrets.has(name))) return false;
  const password = /^[a-z]+:\/\/[^:/@]+:([^@]*)@/.exec(value)?.[1];
  return password === undefined || /^\$\([A-Z0-9_]+\)$/.test(password);
}

/** Selectors that select nothing are silent outages: every one must match a pod that exists. */
export function selectorViolations(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const pods = podLabelSets(objects);
  const matching = (selector: LabelSelector) => pods.filter((pod) => selects(selector, pod.labels));
  const templates = podTemplates(objects);
  for (const object of objects) {
    if (object.kind === 'Service') {
      const selector = { matchLabels: object.spec.selector ?? {} };
      if (Object.keys(selector.matchLabels).length === 0)
        problems.push(`${key(object)}: has no selector`);
      const selected = templates.filter((template) => selects(selector, template.labels));
      if (selected.length === 0) problems.push(`${key(object)}: selects no pod`);
      for (const port of object.spec.ports ?? []) {
        if (typeof port.targetPort !== 'string') continue;
        const named = selected.every((template) =>
          template.spec.containers.some((c: { ports?: { name?: string }[] }) =>
            c.ports?.some((p) => p.name === port.targetPort),
          ),
        );
        if (!named)
          problems.push(
            `${key(object)}: targetPort ${port.targetPort} is not a port of the selected pods`,
          );
      }
    }
    if (object.kind === 'NetworkPolicy' && matching(object.spec.podSelector).length === 0) {
      problems.push(`${key(object)}: selects no pod`);
    }
    if (object.kind === 'PodDisruptionBudget' && matching(object.spec.selector).length === 0) {
      problems.push(`${key(object)}: selects no pod`);
    }
    if (object.kind === 'HorizontalPodAutoscaler') {
      const target = object.spec.scaleTargetRef;
      const found = objects.find((o) => o.kind === target.kind && o.metadata.name === target.name);
      if (!found)
        problems.push(`${key(object)}: scales ${target.kind}/${target.name}, which does not exist`);
      else if (found.spec.replicas !== undefined)
        problems.push(`${key(object)}: ${target.name} also fixes spec.replicas`);
    }
    if (object.kind === 'HTTPRoute') {
      for (const rule of object.spec.rules ?? []) {
        for (const backend of rule.backendRefs ?? []) {
          const service = objects.find(
            (o) => o.kind === 'Service' && o.metadata.name === backend.name,
          );
          if (!service?.spec.ports.some((p: { port: number }) => p.port === backend.port))
            problems.push(
              `${key(object)}: routes to ${backend.name}:${backend.port}, no such Service port`,
            );
        }
      }
      for (const parent of object.spec.parentRefs ?? []) {
        const gateway = objects.find(
          (o) => o.kind === 'Gateway' && o.metadata.name === parent.name,
        );
        const listeners = (gateway?.spec.listeners ?? []).map((l: { name: string }) => l.name);
        if (!gateway || (parent.sectionName && !listeners.includes(parent.sectionName)))
          problems.push(
            `${key(object)}: its parent ${parent.name}/${parent.sectionName} does not exist`,
          );
      }
    }
    if (object.kind === 'Ingress') {
      for (const rule of object.spec.rules ?? []) {
        for (const route of rule.http?.paths ?? []) {
          const backend = route.backend.service;
          const service = objects.find(
            (o) => o.kind === 'Service' && o.metadata.name === backend.name,
          );
          if (!service)
            problems.push(
              `${key(object)}: routes ${route.path} to missing Service ${backend.name}`,
            );
          else if (
            !service.spec.ports.some(
              (p: { name?: string; port: number }) =>
                p.name === backend.port.name || p.port === backend.port.number,
            )
          ) {
            problems.push(
              `${key(object)}: routes ${route.path} to a port Service ${backend.name} lacks`,
            );
          }
        }
      }
    }
  }
  return problems;
}
