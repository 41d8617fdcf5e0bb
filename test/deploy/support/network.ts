import { type K8sObject, type LabelSelector, selects } from './manifests.ts';

/**
 * A NetworkPolicy evaluator, enough of Kubernetes' semantics to decide whether one connection is
 * allowed by the rendered policies: a pod selected by no policy of a type is open in that
 * direction; once selected, only what some rule allows passes; a connection needs both the
 * source's egress and the destination's ingress. Named ports resolve on the destination pod.
 * ipBlock is taken to match pod addresses too (many CNIs do), the stricter reading.
 */
export interface Port {
  port: number;
  protocol: 'TCP' | 'UDP';
  name?: string;
}

export interface Endpoint {
  name: string;
  /** Undefined for an address outside the cluster (the API server, an object store). */
  namespace?: string;
  labels: Record<string, string>;
  ports: Port[];
  ip: string;
}

interface PolicyPort {
  port?: number | string;
  protocol?: string;
}

interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

interface Rule {
  ports?: PolicyPort[];
  from?: Peer[];
  to?: Peer[];
}

const namespaceLabels = (namespace: string) => ({ 'kubernetes.io/metadata.name': namespace });

function ipv4(address: string): number {
  return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

function inCidr(address: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(address) / size) === Math.floor(ipv4(base) / size);
}

function peerMatches(peer: Peer, policyNamespace: string, endpoint: Endpoint): boolean {
  if (peer.ipBlock) {
    const { cidr, except = [] } = peer.ipBlock;
    return inCidr(endpoint.ip, cidr) && !except.some((range) => inCidr(endpoint.ip, range));
  }
  if (endpoint.namespace === undefined) return false;
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels(endpoint.namespace))
    : endpoint.namespace === policyNamespace;
  const podOk = peer.podSelector ? selects(peer.podSelector, endpoint.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(ports: PolicyPort[] | undefined, destination: Endpoint, port: Port): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((allowed) => {
    if ((allowed.protocol ?? 'TCP') !== port.protocol) return false;
    if (allowed.port === undefined) return true;
    if (typeof allowed.port === 'number') return allowed.port === port.port;
    return destination.ports.some(
      (p) => p.name === allowed.port && p.port === port.port && p.protocol === port.protocol,
    );
  });
}

function side(
  policies: K8sObject[],
  type: 'Ingress' | 'Egress',
  subject: Endpoint,
  peer: Endpoint,
  destination: Endpoint,
  port: Port,
): boolean {
  if (subject.namespace === undefined) return true;
  const applying = policies.filter(
    (policy) =>
      policy.metadata.namespace === subject.namespace &&
      (policy.spec.policyTypes ?? ['Ingress']).includes(type) &&
      selects(policy.spec.podSelector, subject.labels),
  );
  if (applying.length === 0) return true;
  return applying.some((policy) =>
    ((type === 'Ingress' ? policy.spec.ingress : policy.spec.egress) ?? []).some((rule: Rule) => {
      const peers = type === 'Ingress' ? rule.from : rule.to;
      const peerOk =
        !peers ||
        peers.length === 0 ||
        peers.some((p) => peerMatches(p, policy.metadata.namespace ?? '', peer));
      return peerOk && portMatches(rule.ports, destination, port);
    }),
  );
}

/** Whether `from` may open a connection to `to` on `port` under the policies. */
export function connectionAllowed(
  policies: K8sObject[],
  from: Endpoint,
  to: Endpoint,
  port: Port,
): boolean {
  return (
    side(policies, 'Egress', from, to, to, port) && side(policies, 'Ingress', to, from, to, port)
  );
}
