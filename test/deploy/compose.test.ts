/**
 * deploy/compose.yaml checked without a Docker engine: what it builds exists in deploy/Dockerfile,
 * every service waits for what it needs to be healthy and what it waits for has a healthcheck,
 * the agents' commands are modules of the examples image (its layout reproduced), and every
 * variable set for the mesh's processes is one they read. Not run here: `docker compose up`
 * (no engine on these machines); the images themselves run in image-layout.test.ts and, as
 * Kubernetes runs them, in kubelet-on-loopback.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repositoryRoot } from '../e2e/support/registry-process.js';
import { agentVariables, registryVariables, undocumented } from './support/documented-variables.js';
import { type ImageLayout, readDockerfile, reproduceImage } from './support/image-layout.js';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string; target: string };
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
}

const composePath = join(repositoryRoot, 'deploy/compose.yaml');
const compose = parse(readFileSync(composePath, 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = Object.entries(compose.services);
const dockerfile = readDockerfile();
const ours = services.filter(([, service]) => service.build !== undefined);

/** The HEALTHCHECK a service has: its own, else its image target's. */
function healthcheckOf(service: Service): readonly string[] | undefined {
  if (service.healthcheck) return service.healthcheck.test;
  if (!service.build) return undefined;
  const chain = [dockerfile.stage(service.build.target)];
  while (dockerfile.stages.some((stage) => stage.name === chain[0]!.base))
    chain.unshift(dockerfile.stage(chain[0]!.base));
  const found = chain
    .flatMap((stage) => stage.instructions)
    .filter((instruction) => instruction.kind === 'HEALTHCHECK')
    .at(-1);
  return found?.kind === 'HEALTHCHECK' ? found.command.exec : undefined;
}

let examples: ImageLayout | undefined;
afterAll(() => examples?.remove());

describe('deploy/compose.yaml', { timeout: 60_000 }, () => {
  it('builds the mesh’s images from deploy/Dockerfile targets in the repository, and pins every other image', () => {
    expect(ours.map(([name]) => name).sort()).toEqual([
      'clock',
      'counter',
      'greeter',
      'registry',
      'tally',
    ]);
    for (const [name, service] of ours) {
      const build = service.build!;
      expect(join(repositoryRoot, 'deploy', build.context), name).toBe(
        repositoryRoot.replace(/\/$/, ''),
      );
      expect(build.dockerfile, name).toBe('deploy/Dockerfile');
      expect(() => dockerfile.stage(build.target), name).not.toThrow();
      expect(service.image, name).toMatch(/^mcp-mesh\/[a-z-]+:0\.2\.0$/);
    }
    for (const [name, service] of services.filter(([, each]) => !each.build))
      expect(service.image, name).toMatch(/^[a-z0-9/-]+:[0-9][\w.-]*$/);
  });

  it('every service waits for what it needs to be healthy, and all of that has an exec-form healthcheck', () => {
    const depended = new Set<string>();
    for (const [name, service] of services)
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
        expect(compose.services[dependency], `${name} → ${dependency}`).toBeDefined();
        depended.add(dependency);
      }
    expect([...depended].sort()).toEqual(['postgres', 'redis', 'registry']);
    for (const name of depended) {
      const test = healthcheckOf(compose.services[name]!);
      expect(test, name).toBeDefined();
      // Exec form: the container's own binary, no shell to go missing or to swallow signals.
      expect(test![0] === 'CMD' || test![0] === 'node', `${name}: ${test}`).toBe(true);
    }
    // The registry waits for its database; every agent for the registry; Redis users for Redis.
    expect(Object.keys(compose.services.registry!.depends_on!)).toEqual(['postgres']);
    for (const [name, service] of ours.filter(([each]) => each !== 'registry'))
      expect(Object.keys(service.depends_on!), name).toContain('registry');
    for (const [name, service] of services.filter(([, each]) => each.environment?.REDIS_URL))
      expect(Object.keys(service.depends_on!), name).toContain('redis');
  });

  it('agents run modules the examples image has, and set only variables the mesh reads', async () => {
    examples = await reproduceImage('examples');
    const agents = ours.filter(([, service]) => service.build!.target === 'examples');
    for (const [name, service] of agents) {
      const [module] = service.command!;
      expect(
        existsSync(join(examples.hostPath(examples.workdir), module!)),
        `${name}: ${module}`,
      ).toBe(true);
      expect(undocumented(Object.keys(service.environment ?? {}), agentVariables), name).toEqual(
        [],
      );
      expect(service.environment!.MCP_MESH_REGISTRY_URL, name).toBe('http://registry:8000');
    }
    const registry = compose.services.registry!;
    expect(undocumented(Object.keys(registry.environment ?? {}), registryVariables)).toEqual([]);
    const postgres = compose.services.postgres!.environment!;
    expect(registry.environment!.DATABASE_URL).toBe(
      `postgres://${postgres.POSTGRES_USER}:${postgres.POSTGRES_PASSWORD}@postgres:5432/${postgres.POSTGRES_DB}`,
    );
  });

  it('can fail: an undocumented variable and a missing healthcheck are caught', () => {
    expect(undocumented(['MCP_MESH_REGISTY_URL', 'MCP_MESH_REGISTRY_URL'], agentVariables)).toEqual(
      ['MCP_MESH_REGISTY_URL'],
    );
    expect(healthcheckOf({ image: 'redis:7-alpine' })).toBeUndefined();
  });
});
