/**
 * A Kubernetes cluster's behaviour for rendered manifests, on loopback, with real processes:
 *
 * - every pod gets an address of its own, 127.<a>.<b>.<n>, its "network namespace": a container
 *   binding every interface (HOST=0.0.0.0) binds its pod's address instead, so that replicas keep
 *   their rendered ports, as in pods;
 * - containers run the image's layout (support/image-layout.ts) with the kubelet's rules for
 *   command/args, env (`value`, the downward API's metadata.name / metadata.namespace /
 *   status.podIP, secretKeyRef) and init containers (in order, each to success first);
 * - the kubelet's probes: startup, then liveness and readiness, httpGet on the pod's address,
 *   every periodSeconds, timeoutSeconds, failureThreshold;
 * - Services (support/service-proxy.ts) on cluster IPs, with the Ready, non-terminating pods as
 *   endpoints; a Service's DNS name in a URL of an env value is its cluster IP, as the
 *   cluster's DNS would answer (test clients resolve names with `lookup`);
 * - Deployments keep their replicas: a deleted pod is replaced at once, while the kubelet stops
 *   it as Kubernetes does — out of the endpoints first, the preStop hook, SIGTERM, SIGKILL once
 *   terminationGracePeriodSeconds have passed since the deletion; a container that dies is
 *   started again in its pod (`restartContainer`).
 *
 * Not reproduced: users and read-only file systems (processes run as the test's user), volumes
 * (an emptyDir /tmp is the machine's), resource limits, exec probes, scheduling.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { LookupFunction } from 'node:net';
import type { KubeObject } from './chart.js';
import { type ContainerProcess, runToEnd, startContainerProcess } from './container-process.js';
import type { ImageLayout } from './image-layout.js';
import { type Endpoint, ServiceProxy } from './service-proxy.js';

// biome-ignore lint/suspicious/noExplicitAny: pod specs are read field by field
type Spec = any;

export interface ProbeResult {
  readonly at: number;
  readonly probe: 'startup' | 'liveness' | 'readiness';
  readonly ok: boolean;
  readonly detail: string;
}

export interface ContainerEnd {
  readonly container: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** SIGKILLed at the end of the grace period. */
  readonly killed: boolean;
}

export class Pod {
  readonly containers = new Map<string, ContainerProcess>();
  readonly initContainers: ContainerProcess[] = [];
  readonly probes: ProbeResult[] = [];
  /** Set when the pod cannot run (an init container failed, a probe gave up, …). */
  failure: string | undefined;
  terminating = false;
  private readonly readiness = new Map<string, boolean>();
  private readonly stopped = new AbortController();

  constructor(
    readonly name: string,
    readonly ip: string,
    readonly deployment: string,
    readonly labels: Readonly<Record<string, string>>,
    readonly spec: Spec,
    private readonly cluster: LoopbackCluster,
  ) {}

  /** Ready: every container passed its readiness probe last time, and the pod is not leaving. */
  get ready(): boolean {
    const names: string[] = this.spec.containers.map((container: Spec) => container.name);
    return !this.terminating && names.every((name) => this.readiness.get(name) === true);
  }

  /** Output of every container so far, for failure messages. */
  logs(): string {
    return [...this.initContainers, ...this.containers.values()]
      .map((process) => `--- ${this.name}/${process.name}\n${process.logs()}`)
      .join('\n');
  }

  async run(): Promise<void> {
    for (const container of this.spec.initContainers ?? []) {
      if (this.stopped.signal.aborted) return;
      const process = this.startContainer(container);
      this.initContainers.push(process);
      const end = await process.exited;
      if (end.code !== 0) {
        this.failure = `init container ${container.name} exited with ${end.code ?? end.signal}`;
        return;
      }
    }
    for (const container of this.spec.containers) {
      if (this.stopped.signal.aborted) return;
      this.containers.set(container.name, this.startContainer(container));
      void this.probe(container);
    }
  }

  /** The kubelet's part of a deletion: see the file's comment. */
  async terminate(): Promise<ContainerEnd[]> {
    this.terminating = true;
    const deadline = Date.now() + 1000 * (this.spec.terminationGracePeriodSeconds ?? 30);
    const ends = await Promise.all(
      this.spec.containers.map(async (container: Spec) => {
        const process = this.containers.get(container.name);
        if (!process) return { container: container.name, code: null, signal: null, killed: false };
        const preStop = container.lifecycle?.preStop;
        if (preStop?.exec && !process.exit) {
          const layout = this.cluster.image(container.image);
          await runToEnd({
            argv: layout.exec(preStop.exec.command),
            cwd: layout.hostPath(container.workingDir ?? layout.workdir),
            env: this.environment(container, layout),
            timeoutMs: Math.max(0, deadline - Date.now()),
          });
        } else if (preStop) throw new Error(`${this.name}: only exec preStop hooks are reproduced`);
        const end = await process.stop(Math.max(0, deadline - Date.now()));
        return {
          container: container.name,
          code: end.code,
          signal: end.signal,
          killed: end.killed,
        };
      }),
    );
    this.stopped.abort();
    return ends;
  }

  /**
   * The container dies (SIGKILL) and the kubelet starts it again in the same pod: same name, same
   * address, same env; not Ready until its probes pass again.
   */
  async restartContainer(name: string): Promise<void> {
    const container = this.spec.containers.find((entry: Spec) => entry.name === name);
    const process = this.containers.get(name);
    if (!container || !process) throw new Error(`${this.name} has no running container ${name}`);
    // SIGTERM first would let it unregister: a graceful stop, not the crash this stands for.
    await process.kill();
    this.readiness.set(name, false);
    this.containers.set(name, this.startContainer(container));
    void this.probe(container);
  }

  /** SIGKILL everything at once (the test's own clean-up). */
  async kill(): Promise<void> {
    this.stopped.abort();
    await Promise.all(
      [...this.initContainers, ...this.containers.values()].map((process) => process.kill()),
    );
  }

  private startContainer(container: Spec): ContainerProcess {
    const layout = this.cluster.image(container.image);
    const command = layout.command({
      ...(container.command ? { command: container.command } : {}),
      ...(container.args ? { args: container.args } : {}),
      ...(container.workingDir ? { workingDir: container.workingDir } : {}),
    });
    return startContainerProcess({
      name: container.name,
      argv: command.argv,
      cwd: command.cwd,
      env: this.environment(container, layout),
    });
  }

  /** The image's ENV, then the container's env as the kubelet resolves it. */
  private environment(container: Spec, layout: ImageLayout): Record<string, string> {
    const env: Record<string, string> = {
      ...layout.command().env,
      HOSTNAME: this.name,
    };
    for (const source of container.envFrom ?? []) {
      if (!source.secretRef) throw new Error(`${this.name}: only envFrom secretRef is reproduced`);
      Object.assign(env, this.cluster.secret(source.secretRef.name));
    }
    for (const entry of container.env ?? []) {
      env[entry.name] =
        entry.value !== undefined
          ? this.cluster.resolveNames(String(entry.value))
          : this.valueFrom(entry.name, entry.valueFrom);
    }
    // The pod's network namespace: every interface of it is its own address.
    if (env.HOST === '0.0.0.0' || env.HOST === '::') env.HOST = this.ip;
    return env;
  }

  private valueFrom(name: string, from: Spec): string {
    if (from?.fieldRef) {
      const fields: Record<string, string> = {
        'metadata.name': this.name,
        'metadata.namespace': this.cluster.namespace,
        'status.podIP': this.ip,
        'status.podIPs': this.ip,
      };
      const value = fields[from.fieldRef.fieldPath];
      if (value === undefined)
        throw new Error(`${this.name}: env ${name}: no field ${from.fieldRef.fieldPath}`);
      return value;
    }
    if (from?.secretKeyRef) {
      const value = this.cluster.secret(from.secretKeyRef.name)[from.secretKeyRef.key];
      if (value === undefined)
        throw new Error(
          `${this.name}: env ${name}: Secret ${from.secretKeyRef.name} has no key ${from.secretKeyRef.key}`,
        );
      return value;
    }
    throw new Error(`${this.name}: env ${name}: ${JSON.stringify(from)} is not reproduced`);
  }

  /** The kubelet's probes of one container, until it exits or the pod goes. */
  private async probe(container: Spec): Promise<void> {
    const process = this.containers.get(container.name)!;
    const alive = () => !process.exit && !this.stopped.signal.aborted;
    const port = (value: string | number) =>
      typeof value === 'number'
        ? value
        : (container.ports ?? []).find((entry: Spec) => entry.name === value)?.containerPort;
    const check = async (kind: ProbeResult['probe'], probe: Spec): Promise<boolean> => {
      if (!probe.httpGet || (probe.httpGet.scheme ?? 'HTTP') !== 'HTTP')
        throw new Error(`${this.name}: only plain-HTTP httpGet probes are reproduced`);
      const url = `http://${this.ip}:${port(probe.httpGet.port)}${probe.httpGet.path ?? '/'}`;
      let ok = false;
      let detail: string;
      try {
        const response = await fetch(url, {
          signal: AbortSignal.timeout(1000 * (probe.timeoutSeconds ?? 1)),
        });
        await response.arrayBuffer();
        ok = response.status >= 200 && response.status < 400;
        detail = `${url} ${response.status}`;
      } catch (error) {
        detail = `${url} ${(error as Error).message}`;
      }
      this.probes.push({ at: Date.now(), probe: kind, ok, detail });
      return ok;
    };
    const every = (probe: Spec) => 1000 * (probe.periodSeconds ?? 10);
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    if (container.startupProbe) {
      let failures = 0;
      await sleep(1000 * (container.startupProbe.initialDelaySeconds ?? 0));
      while (alive() && !(await check('startup', container.startupProbe))) {
        if (++failures >= (container.startupProbe.failureThreshold ?? 3)) {
          this.failure = `${container.name}: startup probe failed ${failures} times`;
          return;
        }
        await sleep(every(container.startupProbe));
      }
    }
    const loop = async (kind: 'liveness' | 'readiness', probe: Spec | undefined) => {
      if (!probe) {
        if (kind === 'readiness') this.readiness.set(container.name, true);
        return;
      }
      let failures = 0;
      while (alive()) {
        const ok = await check(kind, probe);
        failures = ok ? 0 : failures + 1;
        if (kind === 'readiness') {
          if (ok) this.readiness.set(container.name, true);
          else if (failures >= (probe.failureThreshold ?? 3))
            this.readiness.set(container.name, false);
        } else if (failures >= (probe.failureThreshold ?? 3) && !this.terminating) {
          this.failure = `${container.name}: liveness probe failed ${failures} times`;
          return;
        }
        await sleep(every(probe));
      }
    };
    await Promise.all([
      loop('liveness', container.livenessProbe),
      loop('readiness', container.readinessProbe),
    ]);
  }
}

export class LoopbackCluster {
  private readonly prefix = `127.${randomInt(1, 255)}.${randomInt(1, 255)}`;
  private nextPodAddress = 10;
  private nextServiceAddress = 200;
  private readonly secrets = new Map<string, Record<string, string>>();
  private readonly services = new Map<string, { object: KubeObject; proxy: ServiceProxy }>();
  private readonly deployments = new Map<string, KubeObject>();
  private readonly livePods: Pod[] = [];
  private readonly allPods: Pod[] = [];

  constructor(
    readonly namespace: string,
    private readonly images: Readonly<Record<string, ImageLayout>>,
  ) {}

  /** A Secret made outside the chart (`kubectl create secret generic …`). */
  createSecret(name: string, data: Record<string, string>): void {
    this.secrets.set(name, { ...data });
  }

  /** Like `kubectl apply`: Secrets and Services at once, then every Deployment's pods. */
  async apply(objects: readonly KubeObject[]): Promise<void> {
    for (const object of objects) {
      if (object.kind === 'Secret') {
        const data = Object.fromEntries(
          Object.entries((object.data ?? {}) as Record<string, string>).map(([key, value]) => [
            key,
            Buffer.from(value, 'base64').toString('utf8'),
          ]),
        );
        this.secrets.set(object.metadata.name, { ...data, ...(object.stringData ?? {}) });
      } else if (object.kind === 'Service') {
        const clusterIp = `${this.prefix}.${this.nextServiceAddress++}`;
        const [port] = object.spec.ports;
        const proxy = new ServiceProxy(object.metadata.name, clusterIp, port.port, () =>
          this.endpoints(object),
        );
        await proxy.listen();
        this.services.set(object.metadata.name, { object, proxy });
      } else if (object.kind === 'Deployment') {
        this.deployments.set(object.metadata.name, object);
      }
    }
    for (const deployment of this.deployments.values())
      for (let replica = 0; replica < (deployment.spec.replicas ?? 1); replica++)
        this.startPod(deployment);
  }

  image(reference: string): ImageLayout {
    const layout = this.images[reference];
    if (!layout) throw new Error(`no image ${reference} in this cluster`);
    return layout;
  }

  secret(name: string): Record<string, string> {
    const data = this.secrets.get(name);
    if (!data) throw new Error(`no Secret ${name} (a real kubelet: CreateContainerConfigError)`);
    return data;
  }

  /** The pods of a Deployment that have not been deleted. */
  pods(deployment: string): Pod[] {
    return this.livePods.filter((pod) => pod.deployment === deployment);
  }

  /** Every pod ever started, deleted ones too. */
  everyPod(): Pod[] {
    return [...this.allPods];
  }

  /** A Service's cluster IP and port. */
  service(name: string): { clusterIp: string; port: number } {
    const service = this.services.get(name);
    if (!service) throw new Error(`no Service ${name}`);
    return { clusterIp: service.proxy.clusterIp, port: service.proxy.port };
  }

  /** The cluster's DNS for test clients: Service names (short or qualified) to cluster IPs. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const address = this.addressOf(hostname) ?? hostname;
    if (!/^\d+\.\d+\.\d+\.\d+$/.test(address)) {
      callback(
        Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
        '',
        4,
      );
      return;
    }
    if ((options as { all?: boolean }).all)
      (
        callback as unknown as (
          error: null,
          addresses: { address: string; family: number }[],
        ) => void
      )(null, [{ address, family: 4 }]);
    else callback(null, address, 4);
  };

  /**
   * A URL naming a Service (`http://registry:8000`) with the Service's cluster IP instead: what
   * the cluster's DNS would answer when the process connects. Other values are left alone (a
   * list of hostnames is names, not connections).
   */
  resolveNames(value: string): string {
    const url = /^([a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?)([^:/?#]+)(.*)$/i.exec(value);
    if (!url) return value;
    const address = this.addressOf(url[2]!);
    return address ? `${url[1]}${address}${url[3]}` : value;
  }

  /** Deletes a pod: the Deployment replaces it at once, the kubelet stops it gracefully. */
  async deletePod(pod: Pod): Promise<{ ends: ContainerEnd[]; replacement: Pod }> {
    const index = this.livePods.indexOf(pod);
    if (index < 0) throw new Error(`${pod.name} is not running`);
    this.livePods.splice(index, 1);
    const replacement = this.startPod(this.deployments.get(pod.deployment)!);
    const ends = await pod.terminate();
    return { ends, replacement };
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.allPods.map((pod) => pod.kill()));
    await Promise.all([...this.services.values()].map(({ proxy }) => proxy.close()));
  }

  private startPod(deployment: KubeObject): Pod {
    const name = `${deployment.metadata.name}-${randomBytes(5).toString('hex')}-${randomBytes(3).toString('hex').slice(0, 5)}`;
    const pod = new Pod(
      name,
      `${this.prefix}.${this.nextPodAddress++}`,
      deployment.metadata.name,
      deployment.spec.template.metadata.labels,
      deployment.spec.template.spec,
      this,
    );
    this.livePods.push(pod);
    this.allPods.push(pod);
    void pod.run().catch((error: unknown) => {
      pod.failure = String(error);
    });
    return pod;
  }

  private endpoints(service: KubeObject): Endpoint[] {
    const selector = service.spec.selector as Record<string, string>;
    const [port] = service.spec.ports;
    return this.livePods
      .filter(
        (pod) =>
          pod.ready && Object.entries(selector).every(([key, value]) => pod.labels[key] === value),
      )
      .map((pod) => ({ ip: pod.ip, port: containerPort(pod.spec, port.targetPort) }));
  }

  private addressOf(hostname: string): string | undefined {
    const short = hostname.replace(
      new RegExp(`\\.${this.namespace}(\\.svc(\\.cluster\\.local)?)?$`),
      '',
    );
    return this.services.get(short)?.proxy.clusterIp;
  }
}

function containerPort(spec: Spec, target: string | number): number {
  if (typeof target === 'number') return target;
  for (const container of spec.containers)
    for (const port of container.ports ?? []) if (port.name === target) return port.containerPort;
  throw new Error(`no container port named ${target}`);
}
