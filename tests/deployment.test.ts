/**
 * The deployment files, checked statically (no container runtime runs here): the Kubernetes
 * manifests as `kubectl kustomize` renders them, `docker-compose.yml`, the `Dockerfile` and its
 * entry point. Each is checked against the code, not a second copy of it: probe paths against
 * the routes the services register (`lib/http/health-routes.ts`), ports against what each
 * service's own config schema makes of the manifest's environment, variable names against the
 * variables the source reads (as tests/configuration-docs.test.ts finds them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadAlertSettings } from '../events/config';
import { loadWebhookConfig } from '../events/webhooks/config';
import { loadAlertWorkerConfig } from '../events/worker-config';
import { gatewayWorkers } from '../gateway/cluster';
import { loadGatewayConfig } from '../gateway/config';
import { loadScopeConfig } from '../lib/authz/subgraph-security';
import { HEALTH_ROUTES, SIMULATOR_HEALTH_ROUTE } from '../lib/http/health-routes';
import { readSimulatorEnv } from '../simulators/common/entry';
import { databaseConfig } from '../stores/config';
import { SUBGRAPHS, subgraphTimeoutVariable, subgraphUrlVariable } from '../subgraphs/registry';
import { variablesReadBySource } from './support/environment-variables';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
/** What the services read: the source's variables and the gateway's per-subgraph ones (registry). */
const KNOWN_VARIABLES = new Set([
  ...variablesReadBySource(),
  ...SUBGRAPHS.flatMap((subgraph) => [
    subgraphUrlVariable(subgraph.name),
    ...(subgraph.gatewayTimeoutMs === undefined ? [] : [subgraphTimeoutVariable(subgraph.name)]),
  ]),
]);
/** The alert pipeline's process (`events/main.ts`), SERVICE=alert-worker in the image. */
const ALERT_WORKER = 'alert-worker';
const SIMULATOR_KEYS: Record<string, { keyVar: string; defaultPort: number }> = {
  'simulator-social-care': { keyVar: 'SOCIAL_CARE_API_KEY', defaultPort: 4101 },
  'simulator-education': { keyVar: 'EDUCATION_API_KEY', defaultPort: 4102 },
  'simulator-finance': { keyVar: 'FINANCE_API_KEY', defaultPort: 4103 },
};

// ---- Kubernetes --------------------------------------------------------------------------

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  image: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  env?: EnvVar[];
  envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  resources?: {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
  };
  securityContext?: { allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean };
}
interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
}
interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
  ipBlock?: { cidr: string; except?: string[] };
}
interface PolicyPort {
  port?: number | string;
  protocol?: string;
}
interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    replicas?: number;
    template?: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    selector?: Record<string, string>;
    ports?: Array<{ name?: string; port: number; targetPort?: string | number }>;
    podSelector?: { matchLabels?: Record<string, string> };
    policyTypes?: string[];
    ingress?: Array<{ from?: PolicyPeer[]; ports?: PolicyPort[] }>;
    egress?: Array<{ to?: PolicyPeer[]; ports?: PolicyPort[] }>;
    scaleTargetRef?: { kind: string; name: string };
  };
}

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl) {
  if (process.env.CI) throw new Error('kubectl is required in CI to render deploy/k8s');
  process.stdout.write(
    'deployment test: kubectl not installed; the Kubernetes manifests were not rendered or checked\n',
  );
}
const describeK8s = kubectl ? describe : describe.skip;

function render(dir: string): Resource[] {
  const text = execFileSync('kubectl', ['kustomize', path.join(ROOT, dir)], { encoding: 'utf8' });
  return parseAllDocuments(text).map((document) => document.toJS() as Resource);
}

/** The placeholder values of the Secret the manifests reference (never part of a render). */
const SECRET_EXAMPLE = parse(read('deploy/k8s/base/secret.example.yaml')) as Resource;

const matches = (selector: Record<string, string> = {}, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** What a container's environment is, secrets given their example values. */
function containerEnv(container: Container, resources: Resource[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef?.name;
    const map = resources.find((r) => r.kind === 'ConfigMap' && r.metadata.name === name);
    if (!map) throw new Error(`${container.name}: no ConfigMap ${name}`);
    Object.assign(env, map.data);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    env[variable.name] = ref ? SECRET_EXAMPLE.stringData?.[ref.key] : variable.value;
  }
  return env;
}

/** What the service a container runs makes of its environment: its port and interface. */
function served(env: NodeJS.ProcessEnv): { service: string; port: number; host: string } {
  const service = env.SERVICE ?? 'gateway';
  if (service === 'gateway') {
    const config = loadGatewayConfig(env);
    return { service, port: config.port, host: config.host };
  }
  const simulator = SIMULATOR_KEYS[service];
  if (simulator) {
    const config = readSimulatorEnv(env, simulator.keyVar, simulator.defaultPort);
    return { service, port: config.port, host: config.host };
  }
  if (service === ALERT_WORKER) return alertWorkerServes(env);
  const descriptor = SUBGRAPHS.find((subgraph) => subgraph.name === service);
  if (!descriptor) throw new Error(`SERVICE=${service} is no service of the image`);
  const config = descriptor.loadConfig(env);
  return { service, port: config.port, host: config.host ?? '127.0.0.1' };
}

/**
 * What the alert worker makes of its environment: every loader `events/main.ts` calls at start
 * (each throws, naming the variable, on what production lacks), then its own
 * (`events/worker-config.ts`: PORT, HOST, AS_OF, DATABASE_URL).
 */
function alertWorkerServes(env: NodeJS.ProcessEnv): {
  service: string;
  port: number;
  host: string;
} {
  loadScopeConfig(env);
  loadAlertSettings(env);
  loadWebhookConfig(env);
  databaseConfig(env);
  const own = loadAlertWorkerConfig(env);
  return { service: ALERT_WORKER, port: own.port, host: own.host };
}

/** Where a pod's connection goes: a pod (in this namespace unless named) or an outside address. */
type Destination =
  | {
      kind: 'pod';
      labels: Record<string, string>;
      namespace?: string;
      port: number;
      portName?: string;
      protocol: string;
    }
  | { kind: 'external'; ip?: string; port: number; protocol: string };

const ipv4 = (ip: string) => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits ?? 32));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base!) / size);
}

/** A rule's ports admit the destination's (no ports: every port; TCP unless said). */
const portAdmits = (ports: PolicyPort[] | undefined, to: Destination) =>
  !ports?.length ||
  ports.some(
    (p) =>
      (p.protocol ?? 'TCP') === to.protocol &&
      (p.port === undefined ||
        p.port === to.port ||
        (to.kind === 'pod' && to.portName !== undefined && p.port === to.portName)),
  );

/** A peer of an egress rule is the destination (an ipBlock: outside addresses only). */
function peerIs(peer: PolicyPeer, to: Destination): boolean {
  if (to.kind === 'external') {
    if (!peer.ipBlock) return false;
    // A name (the database's) cannot be resolved here: any address block may be the right one.
    if (to.ip === undefined) return true;
    return (
      inCidr(to.ip, peer.ipBlock.cidr) &&
      !(peer.ipBlock.except ?? []).some((cidr) => inCidr(to.ip!, cidr))
    );
  }
  if (peer.ipBlock) return false;
  const namespaceLabels = { 'kubernetes.io/metadata.name': to.namespace ?? '(this namespace)' };
  const namespaceOk = peer.namespaceSelector
    ? matches(peer.namespaceSelector.matchLabels, namespaceLabels)
    : to.namespace === undefined;
  return namespaceOk && matches(peer.podSelector?.matchLabels, to.labels);
}

/** Whether the policies let pods with `from` labels connect to `to` (none selecting: any). */
function egressAllows(policies: Resource[], from: Record<string, string>, to: Destination) {
  const applying = policies.filter(
    (p) =>
      p.spec?.policyTypes?.includes('Egress') && matches(p.spec.podSelector?.matchLabels, from),
  );
  if (applying.length === 0) return true;
  return applying
    .flatMap((p) => p.spec?.egress ?? [])
    .some(
      (rule) =>
        portAdmits(rule.ports, to) &&
        (!rule.to?.length || rule.to.some((peer) => peerIs(peer, to))),
    );
}

/** Whether the policies let pods with `from` labels (this namespace) into a pod `to`. */
function ingressAllows(policies: Resource[], from: Record<string, string>, to: Destination) {
  if (to.kind !== 'pod') return true;
  const applying = policies.filter(
    (p) =>
      p.spec?.policyTypes?.includes('Ingress') &&
      matches(p.spec.podSelector?.matchLabels, to.labels),
  );
  if (applying.length === 0) return true;
  return applying
    .flatMap((p) => p.spec?.ingress ?? [])
    .some(
      (rule) =>
        portAdmits(rule.ports, to) &&
        (!rule.from?.length ||
          rule.from.some(
            (peer) =>
              !peer.ipBlock &&
              !peer.namespaceSelector &&
              matches(peer.podSelector?.matchLabels, from),
          )),
    );
}

describeK8s.each(['deploy/k8s/base', 'deploy/k8s/overlays/simulated'])('%s', (dir) => {
  const resources = kubectl ? render(dir) : [];
  const deployments = resources.filter((r) => r.kind === 'Deployment');
  const of = (kind: string) => resources.filter((r) => r.kind === kind);
  const podLabels = (deployment: Resource) => deployment.spec!.template!.metadata.labels;
  const serviceOf = (deployment: Resource) =>
    containerEnv(deployment.spec!.template!.spec.containers[0]!, resources).SERVICE ?? 'gateway';

  it('has a Deployment for the gateway and for every subgraph of the registry', () => {
    const services = deployments.map(serviceOf);
    expect(services).toEqual(
      expect.arrayContaining([
        'gateway',
        ALERT_WORKER,
        ...SUBGRAPHS.map((subgraph) => subgraph.name),
      ]),
    );
  });

  it('every Deployment probes the routes and port its service really serves', () => {
    for (const deployment of deployments) {
      const container = deployment.spec!.template!.spec.containers[0]!;
      const env = containerEnv(container, resources);
      const { service, port, host } = served(env);
      const simulator = service in SIMULATOR_KEYS;
      expect({ service, host }).toEqual({ service, host: '0.0.0.0' });
      const http = container.ports?.find((p) => p.name === 'http');
      expect({ service, containerPort: http?.containerPort }).toEqual({
        service,
        containerPort: port,
      });
      const probePort = (probe: Probe | undefined) => {
        const named = probe?.httpGet?.port;
        return typeof named === 'number'
          ? named
          : container.ports?.find((p) => p.name === named)?.containerPort;
      };
      expect({ service, live: container.livenessProbe?.httpGet?.path }).toEqual({
        service,
        live: simulator ? SIMULATOR_HEALTH_ROUTE : HEALTH_ROUTES.live,
      });
      expect({ service, ready: container.readinessProbe?.httpGet?.path }).toEqual({
        service,
        ready: simulator ? SIMULATOR_HEALTH_ROUTE : HEALTH_ROUTES.ready,
      });
      expect(probePort(container.livenessProbe)).toBe(port);
      expect(probePort(container.readinessProbe)).toBe(port);
    }
  });

  it('every Deployment asks for resources and runs as a user that is not root', () => {
    for (const deployment of deployments) {
      const pod = deployment.spec!.template!.spec;
      const name = deployment.metadata.name;
      expect({ name, runAsNonRoot: pod.securityContext?.runAsNonRoot }).toEqual({
        name,
        runAsNonRoot: true,
      });
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      for (const container of pod.containers) {
        expect({ name, requests: Object.keys(container.resources?.requests ?? {}).sort() }).toEqual(
          { name, requests: ['cpu', 'memory'] },
        );
        expect(container.resources?.limits?.memory).toBeDefined();
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
      }
    }
  });

  it('names only variables the services read, and secrets only by reference', () => {
    const names = new Set<string>();
    for (const map of of('ConfigMap')) Object.keys(map.data ?? {}).forEach((n) => names.add(n));
    for (const deployment of deployments) {
      for (const container of deployment.spec!.template!.spec.containers) {
        for (const variable of container.env ?? []) {
          names.add(variable.name);
          const ref = variable.valueFrom?.secretKeyRef;
          if (ref) {
            expect(ref.name).toBe(SECRET_EXAMPLE.metadata.name);
            expect(Object.keys(SECRET_EXAMPLE.stringData ?? {})).toContain(ref.key);
          }
        }
      }
    }
    expect([...names].filter((name) => !KNOWN_VARIABLES.has(name))).toEqual([]);
    // The Secret itself is never rendered (created outside git), let alone with values.
    expect(of('Secret')).toEqual([]);
  });

  it('points the gateway at each subgraph through its Service', () => {
    const gateway = deployments.find((d) => serviceOf(d) === 'gateway')!;
    const config = loadGatewayConfig(
      containerEnv(gateway.spec!.template!.spec.containers[0]!, resources),
    );
    for (const subgraph of SUBGRAPHS) {
      const url = new URL(config.subgraphUrls[subgraph.name]);
      const service = of('Service').find((s) => s.metadata.name === url.hostname);
      const target = deployments.find((d) => matches(service?.spec?.selector, podLabels(d)));
      expect({ subgraph: subgraph.name, runs: target && serviceOf(target) }).toEqual({
        subgraph: subgraph.name,
        runs: subgraph.name,
      });
      const servicePort = service!.spec!.ports!.find((p) => p.port === Number(url.port));
      const container = target!.spec!.template!.spec.containers[0]!;
      const targetPort = container.ports?.find((p) => p.name === servicePort?.targetPort);
      expect(targetPort?.containerPort).toBe(served(containerEnv(container, resources)).port);
    }
  });

  it('lets only the gateway reach a subgraph, only subgraphs and the alert worker a simulated system, and nothing the alert worker', () => {
    const policies = of('NetworkPolicy');
    const isGateway = (labels: Record<string, string>) =>
      labels['app.kubernetes.io/component'] === 'gateway';
    const isSubgraph = (labels: Record<string, string>) =>
      labels['app.kubernetes.io/component'] === 'subgraph';
    const isAlertWorker = (labels: Record<string, string>) =>
      deployments.some((d) => serviceOf(d) === ALERT_WORKER && matches(labels, podLabels(d)));
    for (const deployment of deployments) {
      const labels = podLabels(deployment);
      const service = serviceOf(deployment);
      if (service === 'gateway') continue;
      // The alert worker serves its health routes to the kubelet only (which policies let through).
      const allowedFrom: Array<(l: Record<string, string>) => boolean> = service.startsWith(
        'simulator-',
      )
        ? [isSubgraph, isAlertWorker]
        : service === ALERT_WORKER
          ? []
          : [isGateway];
      const applying = policies.filter(
        (p) =>
          p.spec?.policyTypes?.includes('Ingress') &&
          matches(p.spec.podSelector?.matchLabels, labels),
      );
      expect({ service, restricted: applying.length > 0 }).toEqual({ service, restricted: true });
      const rules = applying.flatMap((p) => p.spec?.ingress ?? []);
      expect({ service, rules: rules.length > 0 }).toEqual({
        service,
        rules: allowedFrom.length > 0,
      });
      for (const rule of rules) {
        // No `from` would mean from anywhere; every peer must be pods of the allowed kind only.
        expect(rule.from?.length).toBeGreaterThan(0);
        for (const peer of rule.from ?? []) {
          expect(peer.ipBlock).toBeUndefined();
          expect(peer.namespaceSelector).toBeUndefined();
          const peers = deployments
            .map(podLabels)
            .filter((l) => matches(peer.podSelector?.matchLabels, l));
          expect(peers.length).toBeGreaterThan(0);
          expect({ service, peers: peers.every((l) => allowedFrom.some((ok) => ok(l))) }).toEqual({
            service,
            peers: true,
          });
        }
      }
    }
  });

  it('runs the alert worker: one Deployment with the variables it reads, and the alerts subgraph’s signing key', () => {
    const workers = deployments.filter((d) => serviceOf(d) === ALERT_WORKER);
    expect(workers).toHaveLength(1);
    const worker = workers[0]!;
    expect(worker.spec?.replicas ?? 1).toBeGreaterThanOrEqual(1);
    const container = worker.spec!.template!.spec.containers[0]!;
    // Throws, naming the variable, on anything production lacks (keys, LA_CODE, the database).
    expect(() => served(containerEnv(container, resources))).not.toThrow();
    // One key, one Secret entry: the secret shown at registration is the one deliveries use.
    const signingKeyOf = (service: string) =>
      deployments
        .find((d) => serviceOf(d) === service)
        ?.spec!.template!.spec.containers[0]!.env?.find((v) => v.name === 'WEBHOOK_SIGNING_KEY')
        ?.valueFrom?.secretKeyRef;
    expect(signingKeyOf(ALERT_WORKER)).toBeDefined();
    expect(signingKeyOf(ALERT_WORKER)).toEqual(signingKeyOf('alerts'));
  });

  it('lets the alert worker and the alerts subgraph reach the database and the council systems they read', () => {
    const policies = of('NetworkPolicy');
    const defaultPorts: Record<string, number> = { 'https:': 443, 'http:': 80, 'postgres:': 5432 };
    /** Where a URL in a pod's environment leads: a Service's pods here, or outside. */
    const destinationOf = (raw: string): Destination => {
      const url = new URL(raw);
      const port = Number(url.port || defaultPorts[url.protocol]);
      const service = of('Service').find((s) => s.metadata.name === url.hostname);
      if (!service) return { kind: 'external', port, protocol: 'TCP' };
      const target = deployments.find((d) => matches(service.spec?.selector, podLabels(d)));
      const servicePort = service.spec!.ports!.find((p) => p.port === port);
      const containerPort = target!.spec!.template!.spec.containers[0]!.ports!.find(
        (p) => p.name === servicePort?.targetPort || p.containerPort === servicePort?.targetPort,
      )!;
      return {
        kind: 'pod',
        labels: podLabels(target!),
        port: containerPort.containerPort,
        portName: containerPort.name,
        protocol: 'TCP',
      };
    };
    for (const service of [ALERT_WORKER, 'alerts']) {
      const deployment = deployments.find((d) => serviceOf(d) === service)!;
      const env = containerEnv(deployment.spec!.template!.spec.containers[0]!, resources);
      for (const variable of ['DATABASE_URL', 'SOCIAL_CARE_URL', 'EDUCATION_URL']) {
        const to = destinationOf(String(env[variable]));
        const from = podLabels(deployment);
        expect({ service, variable, out: egressAllows(policies, from, to) }).toEqual({
          service,
          variable,
          out: true,
        });
        expect({ service, variable, in: ingressAllows(policies, from, to) }).toEqual({
          service,
          variable,
          in: true,
        });
      }
    }
  });

  it('lets the alert worker post to webhook receivers on 443 and resolve names, and nothing else outside', () => {
    const policies = of('NetworkPolicy');
    const worker = podLabels(deployments.find((d) => serviceOf(d) === ALERT_WORKER)!);
    // A receiver somewhere on the internet (TEST-NET-3); a council narrows 443 to its receivers.
    const receiver = { kind: 'external', ip: '203.0.113.10', protocol: 'TCP' } as const;
    expect(egressAllows(policies, worker, { ...receiver, port: 443 })).toBe(true);
    const dns = {
      kind: 'pod',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
    } as const;
    expect(egressAllows(policies, worker, { ...dns, port: 53, protocol: 'UDP' })).toBe(true);
    // Its egress is restricted: plain HTTP, SSH or anything else outside is not let through.
    for (const port of [80, 22, 6379]) {
      expect({ port, out: egressAllows(policies, worker, { ...receiver, port }) }).toEqual({
        port,
        out: false,
      });
    }
  });

  it('scales the gateway Deployment with a HorizontalPodAutoscaler, and no other', () => {
    const autoscalers = of('HorizontalPodAutoscaler');
    expect(autoscalers).toHaveLength(1);
    const target = autoscalers[0]!.spec!.scaleTargetRef!;
    expect(target.kind).toBe('Deployment');
    const deployment = deployments.find((d) => d.metadata.name === target.name);
    expect(deployment && serviceOf(deployment)).toBe('gateway');
  });

  it('runs no more gateway workers than the CPUs its container may use', () => {
    const gateway = deployments.find((d) => serviceOf(d) === 'gateway')!;
    const container = gateway.spec!.template!.spec.containers[0]!;
    const workers = gatewayWorkers(containerEnv(container, resources));
    expect(workers).toBeLessThanOrEqual(Number(container.resources?.limits?.cpu ?? 1));
  });
});

describe('deploy/k8s/base/secret.example.yaml', () => {
  it('is an example only: not part of the kustomization', () => {
    const kustomization = parse(read('deploy/k8s/base/kustomization.yaml')) as {
      resources: string[];
    };
    expect(kustomization.resources).not.toContain('secret.example.yaml');
  });
});

// ---- docker compose -----------------------------------------------------------------------

interface ComposeService {
  image?: string;
  environment?: Record<string, string | number>;
  healthcheck?: { test?: string[] };
  deploy?: { replicas?: number };
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const ours = Object.entries(compose.services).filter(([, s]) => s.image?.startsWith('cla-graph'));
  const envOf = (name: string) => compose.services[name]?.environment ?? {};

  it('runs the gateway (2 replicas), every subgraph, the alert worker, the simulators, PostgreSQL and Redis', () => {
    const services = ours.map(([, s]) => String(s.environment?.SERVICE));
    expect(services).toEqual(
      expect.arrayContaining([
        'gateway',
        'migrate',
        ALERT_WORKER,
        ...SUBGRAPHS.map((subgraph) => subgraph.name),
        ...Object.keys(SIMULATOR_KEYS),
      ]),
    );
    const gateway = ours.find(([, s]) => s.environment?.SERVICE === 'gateway')![1];
    expect(gateway.deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(['postgres', 'redis']));
  });

  it('names only variables the services read', () => {
    const names = new Set(ours.flatMap(([, s]) => Object.keys(s.environment ?? {})));
    expect([...names].filter((name) => !KNOWN_VARIABLES.has(name))).toEqual([]);
  });

  it('commits no secret: every key, password, signing key and database URL comes from outside', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(service.environment ?? {})) {
        if (/KEY|PASSWORD|SECRET|TOKEN|DATABASE(_MIGRATION)?_URL/.test(variable)) {
          expect({ name, variable, fromOutside: /\$\{[A-Z_]+:\?/.test(String(value)) }).toEqual({
            name,
            variable,
            fromOutside: true,
          });
        }
      }
    }
  });

  it('health-checks every long-running service of the image with the image’s check', () => {
    for (const [name, service] of ours) {
      if (service.environment?.SERVICE === 'migrate') continue;
      expect({ name, test: service.healthcheck?.test?.join(' ') }).toEqual({
        name,
        test: expect.stringContaining('scripts/healthcheck.ts'),
      });
    }
  });

  it('gives the alert worker and the alerts subgraph what they read, and one signing key', () => {
    // The environment compose would pass, `${VAR:?...}` filled in as the .env would.
    const filled: Record<string, string> = {
      LA_CODE: '340',
      GATEWAY_JWKS_URL: 'https://cla-graph.council.example/.well-known/jwks.json',
      WEBHOOK_ALLOWED_HOSTS: 'hooks.council.example',
    };
    const interpolated = (name: string): NodeJS.ProcessEnv => {
      const entries = Object.entries(envOf(name)).map(([variable, value]) => [
        variable,
        String(value).replace(
          /\$\{([A-Z_]+)(:([?-])([^}]*))?\}/g,
          (_, ref: string, _rest, kind?: string, fallback?: string) =>
            filled[ref] ?? (kind === '-' ? fallback! : 'x'.repeat(40)),
        ),
      ]);
      return Object.fromEntries(entries) as NodeJS.ProcessEnv;
    };
    const worker = envOf(ALERT_WORKER);
    expect(worker.SERVICE).toBe(ALERT_WORKER);
    expect(() => served(interpolated(ALERT_WORKER))).not.toThrow();
    expect(() => served(interpolated('alerts'))).not.toThrow();
    const keyRef = (env: Record<string, string | number>) =>
      /^\$\{([A-Z_]+):\?/.exec(String(env.WEBHOOK_SIGNING_KEY))?.[1];
    expect(keyRef(worker)).toBe('WEBHOOK_SIGNING_KEY');
    expect(keyRef(envOf('alerts'))).toBe(keyRef(worker));
  });

  it('points the gateway at each subgraph’s service and port, listening on every interface', () => {
    const gateway = envOf('gateway');
    for (const subgraph of SUBGRAPHS) {
      const url = new URL(String(gateway[subgraphUrlVariable(subgraph.name)]));
      const env = envOf(url.hostname);
      expect({ subgraph: subgraph.name, runs: env.SERVICE }).toEqual({
        subgraph: subgraph.name,
        runs: subgraph.name,
      });
      expect(Number(env.PORT)).toBe(Number(url.port));
      expect(env.HOST).toBe('0.0.0.0');
    }
  });
});

// ---- Dockerfile and its entry point -------------------------------------------------------

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile').replace(/\\\n/g, ' ');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1] ?? '';

  it('builds in one stage and runs production dependencies only, as a user that is not root', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/npm ci/);
    expect(stages[0]).toMatch(/npm run typecheck/);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    const user = /^USER\s+(\S+)/m.exec(runtime)?.[1] ?? 'root';
    expect(user.split(':')[0]).toMatch(/^[1-9]\d*$/);
  });

  it('checks health with the script that asks the service’s own route', () => {
    expect(runtime).toMatch(/^HEALTHCHECK .*scripts\/healthcheck\.ts/m);
    expect(existsSync(path.join(ROOT, 'scripts/healthcheck.ts'))).toBe(true);
    expect(read('scripts/healthcheck.ts')).toMatch(/HEALTH_ROUTES\.live/);
  });

  it('copies every folder the services import from into the runtime image', () => {
    const copied = /cp -r (.*?) \/runtime\//.exec(dockerfile)?.[1]?.split(/\s+/) ?? [];
    const mains = (dir: string) =>
      readdirSync(path.join(ROOT, dir))
        .map((name) => `${dir}/${name}/main.ts`)
        .filter((file) => existsSync(path.join(ROOT, file)));
    const entries = [
      'gateway/main.ts',
      'stores/migrate-main.ts',
      'events/main.ts',
      'scripts/healthcheck.ts',
      ...mains('subgraphs'),
      ...mains('simulators'),
    ];
    // Follow relative imports from every entry point the image runs; note each file's folder.
    const folders = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      folders.add(path.relative(ROOT, file).split(path.sep)[0]!);
      if (!file.endsWith('.ts')) return;
      for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const base = path.resolve(path.dirname(file), match[1]!);
        const found = [base, `${base}.ts`, path.join(base, 'index.ts')].find(
          (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
        );
        if (found) visit(found);
      }
    };
    entries.forEach((entry) => visit(path.join(ROOT, entry)));
    expect(folders.has('events')).toBe(true);
    expect([...folders].filter((folder) => !copied.includes(folder))).toEqual([]);
  });

  it('sets only variables the services read', () => {
    const names = [...runtime.matchAll(/^ENV\s+(.*)$/gm)].flatMap((m) =>
      [...m[1]!.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((n) => n[1]!),
    );
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !KNOWN_VARIABLES.has(name))).toEqual([]);
  });
});

describe('deploy/docker-entrypoint.sh', () => {
  // The real script, with `node` replaced by a stub that prints what it would have run.
  const bin = mkdtempSync(path.join(os.tmpdir(), 'entrypoint-'));
  writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "$@"\n');
  chmodSync(path.join(bin, 'node'), 0o755);
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const run = (service: string) =>
    spawnSync('sh', [path.join(ROOT, 'deploy/docker-entrypoint.sh')], {
      cwd: ROOT,
      env: { PATH: `${bin}:/usr/bin:/bin`, SERVICE: service },
      encoding: 'utf8',
    });

  it.each([
    'gateway',
    'migrate',
    ALERT_WORKER,
    ...SUBGRAPHS.map((subgraph) => subgraph.name),
    ...Object.keys(SIMULATOR_KEYS),
  ])('starts %s from an entry point that exists', (service) => {
    const result = run(service);
    expect(result.status).toBe(0);
    const entry = result.stdout.trim().split(' ').pop()!;
    expect(existsSync(path.join(ROOT, entry))).toBe(true);
    expect(entry).toMatch(/main\.ts$/);
  });

  it('refuses a service it does not know', () => {
    expect(run('no-such-service').status).toBe(64);
  });
});
