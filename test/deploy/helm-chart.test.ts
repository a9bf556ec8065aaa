/**
 * The Helm chart, checked as CI would before any cluster sees it: `helm lint --strict` and
 * `helm template` (real helm 4) for several sets of values, every rendered object validated
 * against the Kubernetes API schema of its kind, the values against values.schema.json, and bad
 * values refused with the schema's (or the chart's) message. What the rendered configuration
 * does when run is kubelet-on-loopback.test.ts's part.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  chartPath,
  find,
  helm,
  type KubeObject,
  renderChart,
  validateObject,
} from './support/chart.js';
import { agentVariables, registryVariables, undocumented } from './support/documented-variables.js';

/** Sets of values CI renders: registry replicas, where the database is, Redis on/off. */
const valueSets: Record<string, object> = {
  'the defaults: 2 registries on the bundled PostgreSQL, bundled Redis': {},
  'one registry on your PostgreSQL (a Secret of yours), no Redis': {
    registry: { replicas: 1 },
    postgresql: { enabled: false },
    externalDatabase: { existingSecret: 'mesh-database', existingSecretKey: 'url' },
    redis: { enabled: false },
  },
  'three registries on a PostgreSQL URL, your Redis': {
    registry: { replicas: 3 },
    postgresql: { enabled: false },
    externalDatabase: { url: 'postgres://mesh:secret@db.example:5432/mesh' },
    redis: { enabled: false, url: 'redis://redis.example:6379/0', keyPrefix: 'team-a:' },
  },
  'HTTPS from a cert-manager Secret, trust on, every agent with its credential': {
    tls: { secretName: 'mesh-tls' },
    trust: { publicKeyConfigMap: 'mesh-trust', protectEvents: true },
    agents: [
      { name: 'clock', module: 'greeting/handlers/clock.js', credentialSecret: 'clock-credential' },
      {
        name: 'greeter',
        module: 'greeting/handlers/greeter.js',
        credentialSecret: 'greeter-credential',
      },
    ],
  },
  'autoscaled agents announced by their Service': {
    agentDefaults: {
      announce: 'service',
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 4 },
    },
    agents: [
      { name: 'counter', module: 'counter/handlers/counter.js' },
      {
        name: 'tally',
        module: 'counter/handlers/tally.js',
        autoscaling: { enabled: false },
        replicas: 1,
        podDisruptionBudget: { enabled: false },
      },
    ],
  },
};

const kindsOf = (objects: readonly KubeObject[]) =>
  objects.map((object) => `${object.kind}/${object.metadata.name}`).sort();

function container(deployment: KubeObject, name: string) {
  const found = deployment.spec.template.spec.containers.find(
    (entry: { name: string }) => entry.name === name,
  );
  if (!found) throw new Error(`${deployment.metadata.name} has no container ${name}`);
  return found as {
    env: { name: string; value?: string; valueFrom?: Record<string, Record<string, string>> }[];
    [field: string]: unknown;
  };
}

function env(entries: { name: string; value?: string; valueFrom?: unknown }[], name: string) {
  const found = entries.filter((entry) => entry.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
}

describe('deploy/helm/mcp-mesh', { timeout: 60_000 }, () => {
  it('passes helm lint --strict with every set of values', async () => {
    for (const [name, values] of Object.entries(valueSets)) {
      const run = await helm(['lint', '--strict', chartPath], values);
      expect(run.code, `${name}:\n${run.stdout}${run.stderr}`).toBe(0);
    }
  });

  it('values.yaml is valid against values.schema.json, itself a valid JSON Schema 2020-12', () => {
    const schema = JSON.parse(readFileSync(join(chartPath, 'values.schema.json'), 'utf8'));
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    const validate = ajv.compile(schema);
    const values = parse(readFileSync(join(chartPath, 'values.yaml'), 'utf8'));
    expect(validate(values), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the check by kind refuses what the API server would: a wrong type, a missing field, an unknown kind', async () => {
    const [deployment] = (await renderChart({})).filter((object) => object.kind === 'Deployment');
    const wrongType = structuredClone(deployment!);
    wrongType.spec.replicas = 'two';
    await expect(validateObject(wrongType)).rejects.toThrow(/spec\/replicas must be integer/);
    const noSelector = structuredClone(deployment!);
    delete noSelector.spec.selector;
    await expect(validateObject(noSelector)).rejects.toThrow(/selector/);
    await expect(validateObject({ ...deployment!, kind: 'Deploymnet' })).rejects.toThrow(
      /no schema for apps\/v1 Deploymnet/,
    );
  });

  for (const [name, values] of Object.entries(valueSets)) {
    it(`renders objects valid for their kind: ${name}`, async () => {
      const objects = await renderChart(values);
      expect(objects.length).toBeGreaterThan(5);
      for (const object of objects) await validateObject(object);
      // Every workload is non-root, with probes and a grace period; every selector matches its pods.
      for (const workload of objects.filter((object) =>
        ['Deployment', 'StatefulSet'].includes(object.kind),
      )) {
        const pod = workload.spec.template;
        expect(pod.spec.securityContext.runAsNonRoot, workload.metadata.name).toBe(true);
        expect(pod.metadata.labels).toMatchObject(workload.spec.selector.matchLabels);
        for (const each of pod.spec.containers)
          expect(each.readinessProbe, workload.metadata.name).toBeDefined();
      }
    });
  }

  it('sets only variables the mesh’s processes read (as docs/runtime.md and docs/registry.md list them)', async () => {
    for (const values of Object.values(valueSets)) {
      for (const object of (await renderChart(values)).filter(
        (each) => each.kind === 'Deployment',
      )) {
        const component = object.metadata.labels?.['app.kubernetes.io/component'];
        if (component !== 'agent' && component !== 'registry') continue;
        const documented = component === 'agent' ? agentVariables : registryVariables;
        const pod = object.spec.template.spec;
        for (const each of [...(pod.initContainers ?? []), ...pod.containers]) {
          const names = (each.env ?? []).map((entry: { name: string }) => entry.name);
          expect(undocumented(names, documented), `${object.metadata.name}/${each.name}`).toEqual(
            [],
          );
        }
      }
    }
  });

  it('the defaults: registry replicas with a migrating init container, the bundled PostgreSQL and Redis', async () => {
    const objects = await renderChart({});
    expect(kindsOf(objects)).toEqual(
      [
        'Deployment/mesh-mcp-mesh-clock',
        'Deployment/mesh-mcp-mesh-greeter',
        'Deployment/mesh-mcp-mesh-redis',
        'Deployment/mesh-mcp-mesh-registry',
        'PodDisruptionBudget/mesh-mcp-mesh-clock',
        'PodDisruptionBudget/mesh-mcp-mesh-greeter',
        'PodDisruptionBudget/mesh-mcp-mesh-registry',
        'Secret/mesh-mcp-mesh-agents',
        'Secret/mesh-mcp-mesh-database',
        'Service/mesh-mcp-mesh-clock',
        'Service/mesh-mcp-mesh-greeter',
        'Service/mesh-mcp-mesh-postgresql',
        'Service/mesh-mcp-mesh-redis',
        'Service/mesh-mcp-mesh-registry',
        'StatefulSet/mesh-mcp-mesh-postgresql',
      ].sort(),
    );
    const registry = find(objects, 'Deployment', 'mesh-mcp-mesh-registry');
    expect(registry.spec.replicas).toBe(2);
    const [migrate] = registry.spec.template.spec.initContainers;
    expect(migrate.command).toEqual(['node', 'registry/dist/registry/migrate-main.js']);
    const databaseUrl = { secretKeyRef: { name: 'mesh-mcp-mesh-database', key: 'DATABASE_URL' } };
    expect(env(migrate.env, 'DATABASE_URL').valueFrom).toEqual(databaseUrl);
    expect(env(container(registry, 'registry').env, 'DATABASE_URL').valueFrom).toEqual(databaseUrl);
    const secret = find(objects, 'Secret', 'mesh-mcp-mesh-database');
    expect(secret.stringData.DATABASE_URL).toMatch(
      /^postgres:\/\/mesh:[A-Za-z0-9]{32}@mesh-mcp-mesh-postgresql:5432\/mesh$/,
    );
    const clock = container(find(objects, 'Deployment', 'mesh-mcp-mesh-clock'), 'agent');
    expect(env(clock.env, 'REDIS_URL').value).toBe('redis://mesh-mcp-mesh-redis:6379');
    expect(env(clock.env, 'MCP_MESH_REGISTRY_URL').value).toBe(
      'http://mesh-mcp-mesh-registry:8000',
    );
  });

  it('agents: probes on /livez and /ready, the pod IP announced, the pod name as id, a grace period that covers the stop', async () => {
    const objects = await renderChart({});
    const deployment = find(objects, 'Deployment', 'mesh-mcp-mesh-clock');
    const pod = deployment.spec.template.spec;
    const agent = container(deployment, 'agent');
    expect(agent.args).toEqual(['greeting/handlers/clock.js']);
    expect(agent.startupProbe).toMatchObject({ httpGet: { path: '/livez', port: 'http' } });
    expect(agent.livenessProbe).toMatchObject({ httpGet: { path: '/livez', port: 'http' } });
    expect(agent.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 'http' } });
    expect(env(agent.env, 'MCP_MESH_HTTP_HOST').valueFrom).toEqual({
      fieldRef: { fieldPath: 'status.podIP' },
    });
    expect(env(agent.env, 'MCP_MESH_AGENT_ID').valueFrom).toEqual({
      fieldRef: { fieldPath: 'metadata.name' },
    });
    expect(env(agent.env, 'HOST').value).toBe('0.0.0.0');
    // Clients through the Service name it in Host; the agent must accept every form of the name.
    expect(env(agent.env, 'MCP_MESH_HTTP_ALLOWED_HOSTS').value).toBe(
      'mesh-mcp-mesh-clock,mesh-mcp-mesh-clock.mesh,mesh-mcp-mesh-clock.mesh.svc,mesh-mcp-mesh-clock.mesh.svc.cluster.local',
    );
    expect(agent.lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    const shutdown = Number(env(agent.env, 'MCP_MESH_SHUTDOWN_TIMEOUT').value);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(5 + 2 + shutdown + 1);
    expect(find(objects, 'Service', 'mesh-mcp-mesh-clock').spec.selector).toEqual(
      deployment.spec.selector.matchLabels,
    );
    expect(find(objects, 'PodDisruptionBudget', 'mesh-mcp-mesh-clock').spec).toMatchObject({
      maxUnavailable: 1,
      selector: deployment.spec.selector,
    });
  });

  it('your database and Redis: DATABASE_URL from your Secret or the URL given, nothing bundled', async () => {
    const [secretOnly, url] = await Promise.all([
      renderChart(valueSets['one registry on your PostgreSQL (a Secret of yours), no Redis']!),
      renderChart(valueSets['three registries on a PostgreSQL URL, your Redis']!),
    ]);
    for (const objects of [secretOnly, url])
      expect(
        objects.filter((object) => ['StatefulSet', 'PersistentVolumeClaim'].includes(object.kind)),
      ).toEqual([]);

    const one = find(secretOnly, 'Deployment', 'mesh-mcp-mesh-registry');
    expect(one.spec.replicas).toBe(1);
    expect(env(container(one, 'registry').env, 'DATABASE_URL').valueFrom).toEqual({
      secretKeyRef: { name: 'mesh-database', key: 'url' },
    });
    expect(secretOnly.some((object) => object.metadata.name === 'mesh-mcp-mesh-database')).toBe(
      false,
    );
    const agentOfOne = container(find(secretOnly, 'Deployment', 'mesh-mcp-mesh-clock'), 'agent');
    expect(env(agentOfOne.env, 'REDIS_URL').value).toBe('off');

    const three = find(url, 'Deployment', 'mesh-mcp-mesh-registry');
    expect(three.spec.replicas).toBe(3);
    expect(find(url, 'Secret', 'mesh-mcp-mesh-database').stringData).toEqual({
      DATABASE_URL: 'postgres://mesh:secret@db.example:5432/mesh',
    });
    const agentOfThree = container(find(url, 'Deployment', 'mesh-mcp-mesh-clock'), 'agent');
    expect(env(agentOfThree.env, 'REDIS_URL').value).toBe('redis://redis.example:6379/0');
    expect(env(agentOfThree.env, 'MCP_MESH_REDIS_PREFIX').value).toBe('team-a:');
  });

  it('autoscaling leaves replicas to an HPA; announce: service announces the Service name; per-agent settings win, false included', async () => {
    const objects = await renderChart(valueSets['autoscaled agents announced by their Service']!);
    const counter = find(objects, 'Deployment', 'mesh-mcp-mesh-counter');
    expect(counter.spec.replicas).toBeUndefined();
    expect(find(objects, 'HorizontalPodAutoscaler', 'mesh-mcp-mesh-counter').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'mesh-mcp-mesh-counter' },
      minReplicas: 2,
      maxReplicas: 4,
    });
    expect(env(container(counter, 'agent').env, 'MCP_MESH_HTTP_HOST').value).toBe(
      'mesh-mcp-mesh-counter.mesh.svc',
    );
    const tally = find(objects, 'Deployment', 'mesh-mcp-mesh-tally');
    expect(tally.spec.replicas).toBe(1);
    expect(
      objects.some(
        (object) =>
          object.kind === 'HorizontalPodAutoscaler' &&
          object.metadata.name === 'mesh-mcp-mesh-tally',
      ),
    ).toBe(false);
    expect(
      objects.some(
        (object) =>
          object.kind === 'PodDisruptionBudget' && object.metadata.name === 'mesh-mcp-mesh-tally',
      ),
    ).toBe(false);
  });

  it('TLS and trust: files mounted read-only where the variables point, HTTPS probes and registry URL', async () => {
    const objects = await renderChart(
      valueSets['HTTPS from a cert-manager Secret, trust on, every agent with its credential']!,
    );
    const registryDeployment = find(objects, 'Deployment', 'mesh-mcp-mesh-registry');
    const clockDeployment = find(objects, 'Deployment', 'mesh-mcp-mesh-clock');
    const registry = container(registryDeployment, 'registry');
    const clock = container(clockDeployment, 'agent');
    for (const each of [registry, clock]) {
      expect(env(each.env, 'MCP_MESH_TLS_CERT').value).toBe('/etc/mesh-tls/tls.crt');
      expect(env(each.env, 'MCP_MESH_TLS_KEY').value).toBe('/etc/mesh-tls/tls.key');
      expect(env(each.env, 'MCP_MESH_TLS_CA').value).toBe('/etc/mesh-tls/ca.crt');
      expect(env(each.env, 'MCP_MESH_TRUST_KEY').value).toBe('/etc/mesh-trust/mesh-signing.pub');
      for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe'])
        expect(each[probe], probe).toMatchObject({ httpGet: { scheme: 'HTTPS' } });
    }
    expect(env(registry.env, 'MCP_MESH_TRUST_PROTECT_EVENTS').value).toBe('true');
    expect(env(clock.env, 'MCP_MESH_CREDENTIAL_FILE').value).toBe(
      '/etc/mesh-credential/credential.json',
    );
    expect(env(clock.env, 'MCP_MESH_REGISTRY_URL').value).toBe(
      'https://mesh-mcp-mesh-registry:8000',
    );
    expect(clock.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'mesh-tls', mountPath: '/etc/mesh-tls', readOnly: true },
        { name: 'mesh-trust', mountPath: '/etc/mesh-trust', readOnly: true },
        { name: 'mesh-credential', mountPath: '/etc/mesh-credential', readOnly: true },
      ]),
    );
    expect(clockDeployment.spec.template.spec.volumes).toEqual(
      expect.arrayContaining([
        { name: 'mesh-tls', secret: { secretName: 'mesh-tls' } },
        { name: 'mesh-trust', configMap: { name: 'mesh-trust' } },
        { name: 'mesh-credential', secret: { secretName: 'clock-credential' } },
      ]),
    );
    // The registry gets no agent's credential; the defaults set none of it, over plain HTTP.
    expect(registry.volumeMounts).not.toContainEqual(
      expect.objectContaining({ name: 'mesh-credential' }),
    );
    const plain = container(
      find(await renderChart({}), 'Deployment', 'mesh-mcp-mesh-clock'),
      'agent',
    );
    expect(plain.env.map((entry) => entry.name)).not.toContain('MCP_MESH_TLS_CERT');
    expect(plain.env.map((entry) => entry.name)).not.toContain('MCP_MESH_TRUST_KEY');
    expect(plain.readinessProbe).toMatchObject({ httpGet: { scheme: 'HTTP' } });
    // No CA key: only the system's CAs.
    const systemCas = container(
      find(
        await renderChart({ tls: { secretName: 'mesh-tls', caKey: '' } }),
        'Deployment',
        'mesh-mcp-mesh-clock',
      ),
      'agent',
    );
    expect(systemCas.env.map((entry) => entry.name)).not.toContain('MCP_MESH_TLS_CA');
  });

  it('refuses bad values with the schema’s message, naming the field', async () => {
    const refused = async (values: object) => {
      const run = await helm(['template', 'mesh', chartPath], values);
      expect(run.code).not.toBe(0);
      return run.stderr;
    };
    expect(await refused({ registry: { replicas: -1 } })).toContain(
      "at '/registry/replicas': minimum: got -1, want 1",
    );
    const noDatabase = await refused({ postgresql: { enabled: false } });
    expect(noDatabase).toContain("at '/externalDatabase/existingSecret': minLength: got 0, want 1");
    expect(noDatabase).toContain("at '/externalDatabase/url': minLength: got 0, want 1");
    expect(await refused({ registry: { replica: 3 } })).toContain(
      "at '/registry': additional properties 'replica' not allowed",
    );
    expect(await refused({ agents: [{ name: 'Clock', module: 'clock.js' }] })).toContain(
      "at '/agents/0/name'",
    );
    expect(await refused({ agents: [{ name: 'clock', module: 'clock.ts' }] })).toContain(
      "at '/agents/0/module'",
    );
    expect(await refused({ agentDefaults: { announce: 'nodeName' } })).toContain(
      "at '/agentDefaults/announce'",
    );
    expect(await refused({ tls: { secretName: 'Mesh TLS' } })).toContain("at '/tls/secretName'");
    expect(await refused({ trust: { protectEvents: 1 } })).toContain("at '/trust/protectEvents'");
  });

  it('refuses what a schema cannot say, with the chart’s own message', async () => {
    const refused = async (values: object) => {
      const run = await helm(['template', 'mesh', chartPath], values);
      expect(run.code).not.toBe(0);
      return run.stderr;
    };
    expect(await refused({ agentDefaults: { terminationGracePeriodSeconds: 10 } })).toContain(
      'agents[clock]: terminationGracePeriodSeconds is 10, but a stop takes up to preStopSeconds (5) + 2 s to unregister + shutdownTimeoutSeconds (10) + 1 s: set it to 18 or more',
    );
    expect(await refused({ agents: [{ name: 'registry', module: 'a.js' }] })).toContain(
      `agents[0].name: "registry" is the name of the chart's own registry objects`,
    );
    expect(
      await refused({
        agents: [
          { name: 'a', module: 'a.js' },
          { name: 'a', module: 'b.js' },
        ],
      }),
    ).toContain('agents[1].name: "a" is already the name of agents[0]');
    expect(
      await refused({
        agentDefaults: { autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } },
      }),
    ).toContain('autoscaling.minReplicas (5) is above maxReplicas (2)');
    expect(await refused({ trust: { publicKeyConfigMap: 'mesh-trust' } })).toContain(
      'agents[clock]: trust.publicKeyConfigMap is set, so the registry admits only agents with a credential: set credentialSecret to a Secret holding credential.json from `meshctl trust mint --agent clock`',
    );
  });

  it('NOTES.txt says where things are and how to look at them', async () => {
    const run = await helm([
      'install',
      'mesh',
      chartPath,
      '--dry-run=client',
      '--namespace',
      'mesh',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const notes = run.stdout.slice(run.stdout.indexOf('NOTES:'));
    expect(notes).toContain('Registry: 2 replica(s) behind http://mesh-mcp-mesh-registry:8000');
    expect(notes).toContain("on the release's own PostgreSQL");
    expect(notes).toContain('clock: 2 replica(s) running greeting/handlers/clock.js');
    expect(notes).toContain('kubectl -n mesh port-forward svc/mesh-mcp-mesh-registry 8000:8000');
  });
});
