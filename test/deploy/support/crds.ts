/**
 * Typed subsets of the other custom resources the manifests use, for the unknown-field check
 * (schemas.ts), written from their API references: Gateway API v1 (standard channel, v1.3:
 * Gateway, HTTPRoute), cert-manager v1 (Certificate), KEDA 2.x (keda.sh/v1alpha1 ScaledObject).
 * No npm package in this project carries them; a field missing here is a typo or a new use.
 */
interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

interface ParentRef {
  name: string;
  namespace?: string;
  sectionName?: string;
  port?: number;
}

export interface Gateway {
  apiVersion: 'gateway.networking.k8s.io/v1';
  kind: 'Gateway';
  metadata: ObjectMeta;
  spec: {
    gatewayClassName: string;
    listeners: {
      name: string;
      protocol: 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP';
      port: number;
      hostname?: string;
      tls?: {
        mode?: 'Terminate' | 'Passthrough';
        certificateRefs?: { kind?: string; group?: string; name: string; namespace?: string }[];
      };
      allowedRoutes?: { namespaces?: { from?: 'All' | 'Same' | 'Selector' } };
    }[];
  };
}

interface HTTPRouteFilter {
  type: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestRedirect' | 'URLRewrite';
  urlRewrite?: {
    hostname?: string;
    path?: {
      type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
      replaceFullPath?: string;
      replacePrefixMatch?: string;
    };
  };
  requestRedirect?: {
    scheme?: 'http' | 'https';
    hostname?: string;
    port?: number;
    statusCode?: 301 | 302;
  };
}

export interface HTTPRoute {
  apiVersion: 'gateway.networking.k8s.io/v1';
  kind: 'HTTPRoute';
  metadata: ObjectMeta;
  spec: {
    parentRefs: ParentRef[];
    hostnames?: string[];
    rules: {
      matches?: {
        path?: { type: 'Exact' | 'PathPrefix' | 'RegularExpression'; value: string };
        method?: string;
      }[];
      filters?: HTTPRouteFilter[];
      backendRefs?: { name: string; port: number; kind?: string; weight?: number }[];
      timeouts?: { request?: string; backendRequest?: string };
    }[];
  };
}

export interface Certificate {
  apiVersion: 'cert-manager.io/v1';
  kind: 'Certificate';
  metadata: ObjectMeta;
  spec: {
    secretName: string;
    dnsNames?: string[];
    issuerRef: { name: string; kind?: 'Issuer' | 'ClusterIssuer'; group?: string };
    privateKey?: {
      algorithm?: 'RSA' | 'ECDSA' | 'Ed25519';
      size?: number;
      rotationPolicy?: 'Never' | 'Always';
    };
    duration?: string;
    renewBefore?: string;
  };
}

export interface ScaledObject {
  apiVersion: 'keda.sh/v1alpha1';
  kind: 'ScaledObject';
  metadata: ObjectMeta;
  spec: {
    scaleTargetRef: { name: string; kind?: string; apiVersion?: string };
    minReplicaCount?: number;
    maxReplicaCount?: number;
    pollingInterval?: number;
    cooldownPeriod?: number;
    triggers: {
      type: 'prometheus' | 'postgresql';
      metadata: Record<string, string>;
      authenticationRef?: { name: string };
    }[];
  };
}
