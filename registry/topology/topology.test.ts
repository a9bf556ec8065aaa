import { describe, expect, it } from 'vitest';
import type { DependencyRequest } from '../resolution/provider.js';
import type { Resolution } from '../resolution/resolve-dependency.js';
import type { AgentState } from './agent-state.js';
import type { AgentRegistration, ToolRegistration } from './registration.js';
import { Topology } from './topology.js';

// --- builders ---------------------------------------------------------------------------------

function dep(capability: string, overrides: Partial<DependencyRequest> = {}): DependencyRequest {
  return { capability, version: '*', tags: [], required: false, ...overrides };
}

function req(capability: string, overrides: Partial<DependencyRequest> = {}): DependencyRequest {
  return dep(capability, { ...overrides, required: true });
}

function tool(
  functionName: string,
  capability: string,
  overrides: Partial<ToolRegistration> = {},
): ToolRegistration {
  return {
    functionName,
    capability,
    version: '1.0.0',
    tags: [],
    kwargs: {},
    dependencies: [],
    ...overrides,
  };
}

let nextPort = 9000;

function agent(
  agentId: string,
  tools: readonly ToolRegistration[],
  overrides: Partial<AgentRegistration> = {},
): AgentRegistration {
  return {
    agentId,
    agentType: 'mesh_agent',
    name: agentId.replace(/-\d+$/, ''),
    version: '1.0.0',
    namespace: 'default',
    httpHost: '127.0.0.1',
    httpPort: nextPort++,
    runtime: 'typescript',
    tools,
    ...overrides,
  };
}

/** A registration hash: any function of the content will do for the topology. */
function hashOf(registration: AgentRegistration): string {
  return JSON.stringify(registration);
}

function register(topology: Topology, registration: AgentRegistration, now = 0) {
  return topology.upsert(registration, hashOf(registration), now);
}

/** `agentId.functionName` of every candidate of one dependency position, best first. */
function chosen(topology: Topology, agentId: string, functionName: string, position = 0): string[] {
  const resolution = resolutionAt(topology, agentId, functionName, position);
  return resolution.candidates.map(
    ({ provider }) => `${provider.agentId}.${provider.functionName}`,
  );
}

function resolutionAt(
  topology: Topology,
  agentId: string,
  functionName: string,
  position = 0,
): Resolution {
  const resolution = topology.resolutionOf(agentId)?.byTool.get(functionName)?.[position];
  if (!resolution) throw new Error(`no resolution for ${agentId}.${functionName}[${position}]`);
  return resolution;
}

function hashOfResolution(topology: Topology, agentId: string): string {
  const resolution = topology.resolutionOf(agentId);
  if (!resolution) throw new Error(`no agent ${agentId}`);
  return resolution.hash;
}

function providers(topology: Topology, capability: string): string[] {
  return topology
    .providersOf(capability)
    .map(({ agentId, functionName }) => `${agentId}.${functionName}`);
}

// A consumer whose tool `report` depends on capability `weather`.
const weatherConsumer = () =>
  agent('consumer-1', [tool('report', 'report', { dependencies: [dep('weather')] })]);

// --- tests ------------------------------------------------------------------------------------

describe('Topology', () => {
  describe('registration and revision', () => {
    it('registers a new agent, healthy, and bumps the revision', () => {
      const topology = new Topology();
      const registration = agent('a-1', [tool('x', 'cap-x')], { httpPort: 8080 });
      expect(topology.revision).toBe(0);
      expect(register(topology, registration, 1000)).toBe('registered');
      expect(topology.revision).toBe(1);
      expect(topology.size).toBe(1);
      expect(topology.get('a-1')).toMatchObject({
        registration,
        registrationHash: hashOf(registration),
        endpoint: 'http://127.0.0.1:8080',
        status: 'healthy',
        lastSeen: 1000,
        createdAt: 1000,
      });
      expect([...topology.all()].map((state) => state.registration.agentId)).toEqual(['a-1']);
    });

    it('answers unchanged for a full heartbeat with the same hash, keeping the revision', () => {
      const topology = new Topology();
      const registration = agent('a-1', [tool('x', 'cap-x')]);
      register(topology, registration, 1000);
      const revision = topology.revision;
      expect(register(topology, registration, 2000)).toBe('unchanged');
      expect(topology.revision).toBe(revision);
      expect(topology.get('a-1')?.lastSeen).toBe(2000);
    });

    it('answers updated for a changed registration, bumps, and keeps createdAt', () => {
      const topology = new Topology();
      register(topology, agent('a-1', [tool('x', 'cap-x')]), 1000);
      const revision = topology.revision;
      const changed = agent('a-1', [tool('x', 'cap-x', { version: '1.1.0' })]);
      expect(register(topology, changed, 2000)).toBe('updated');
      expect(topology.revision).toBe(revision + 1);
      expect(topology.get('a-1')).toMatchObject({
        registration: changed,
        createdAt: 1000,
        lastSeen: 2000,
      });
      expect(topology.providersOf('cap-x').map(({ version }) => version)).toEqual(['1.1.0']);
    });

    it('withdraws the tools an updated registration no longer offers', () => {
      const topology = new Topology();
      register(topology, agent('a-1', [tool('x', 'cap-x'), tool('y', 'cap-y')]));
      register(topology, agent('a-1', [tool('y2', 'cap-y')]));
      expect(providers(topology, 'cap-x')).toEqual([]);
      expect(providers(topology, 'cap-y')).toEqual(['a-1.y2']);
    });

    it("keeps registrations without their tools' schemas, and the same hash", () => {
      const topology = new Topology();
      const schema = { type: 'object', properties: { city: { type: 'string' } } };
      const registration = agent('a-1', [
        tool('x', 'cap-x', { inputSchema: schema, outputSchema: schema, description: 'X.' }),
      ]);
      register(topology, registration);
      const kept = topology.get('a-1')!;
      expect(kept.registrationHash).toBe(hashOf(registration));
      expect(kept.registration.tools[0]).toEqual(tool('x', 'cap-x', { description: 'X.' }));
      topology.restore({ ...kept, registration });
      expect(topology.get('a-1')?.registration.tools[0]).not.toHaveProperty('inputSchema');
    });

    it('shares equal tags and kwargs between registrations, frozen', () => {
      const topology = new Topology();
      const withValues = (agentId: string) =>
        agent(agentId, [
          tool('x', 'cap-x', {
            tags: ['eu', 'fast'],
            kwargs: { timeout: 30, retry: { count: 2 } },
            dependencies: [dep('weather', { tags: ['+eu'] })],
          }),
        ]);
      register(topology, withValues('a-1'));
      register(topology, withValues('b-1'));
      const [a, b] = ['a-1', 'b-1'].map((id) => topology.get(id)!.registration.tools[0]!);
      expect(a?.tags).toBe(b?.tags);
      expect(a?.kwargs).toBe(b?.kwargs);
      expect(a?.dependencies[0]?.tags).toBe(b?.dependencies[0]?.tags);
      expect(a?.kwargs).toEqual({ timeout: 30, retry: { count: 2 } });
      expect(Object.isFrozen(a?.kwargs.retry)).toBe(true);
    });

    it('forgets a capability whose last provider left, and offers it again', () => {
      const topology = new Topology();
      register(topology, agent('a-1', [tool('x', 'cap-x'), tool('x2', 'cap-x')]));
      register(topology, agent('b-1', [tool('x', 'cap-x')]));
      topology.remove('a-1');
      expect(providers(topology, 'cap-x')).toEqual(['b-1.x']);
      topology.remove('b-1');
      expect(providers(topology, 'cap-x')).toEqual([]);
      register(topology, agent('c-1', [tool('x', 'cap-x')]));
      expect(providers(topology, 'cap-x')).toEqual(['c-1.x']);
    });

    it('keeps the resolution hash last delivered across an update', () => {
      const topology = new Topology();
      register(topology, agent('a-1', [tool('x', 'cap-x')]));
      topology.get('a-1')!.deliveredResolutionHash = 'abc';
      register(topology, agent('a-1', [tool('x', 'cap-x', { version: '2.0.0' })]));
      expect(topology.get('a-1')?.deliveredResolutionHash).toBe('abc');
    });

    it('advances the revision to a stored one but never goes back', () => {
      const topology = new Topology();
      topology.advanceRevisionTo(41);
      expect(topology.revision).toBe(41);
      register(topology, agent('a-1', [tool('x', 'cap-x')]));
      expect(topology.revision).toBe(42);
      topology.advanceRevisionTo(10);
      expect(topology.revision).toBe(42);
    });

    it('resolves correctly after the revision is advanced past a cached one', () => {
      const topology = new Topology();
      register(topology, weatherConsumer());
      expect(chosen(topology, 'consumer-1', 'report')).toEqual([]);
      topology.advanceRevisionTo(5);
      register(topology, agent('w-1', [tool('forecast', 'weather')]));
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['w-1.forecast']);
    });
  });

  describe('resolution per tool and per dependency position', () => {
    it('resolves each declared dependency of each tool, in order, and skips tools without any', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]));
      register(topology, agent('t-1', [tool('now', 'time')]));
      register(
        topology,
        agent('consumer-1', [
          tool('report', 'report', { dependencies: [dep('time'), dep('weather'), dep('news')] }),
          tool('clock', 'clock', { dependencies: [dep('time')] }),
          tool('plain', 'plain'),
        ]),
      );
      const resolution = topology.resolutionOf('consumer-1')!;
      expect([...resolution.byTool.keys()]).toEqual(['report', 'clock']);
      expect(chosen(topology, 'consumer-1', 'report', 0)).toEqual(['t-1.now']);
      expect(chosen(topology, 'consumer-1', 'report', 1)).toEqual(['w-1.forecast']);
      expect(chosen(topology, 'consumer-1', 'report', 2)).toEqual([]);
      expect(chosen(topology, 'consumer-1', 'clock', 0)).toEqual(['t-1.now']);
    });

    it('resolves a position of alternatives to the first alternative that has a candidate', () => {
      const topology = new Topology();
      register(
        topology,
        agent('basic-1', [tool('forecast', 'weather-basic', { version: '1.0.0' })]),
      );
      register(topology, agent('old-1', [tool('forecast', 'weather-pro', { version: '1.0.0' })]));
      const fallbacks = [{ capability: 'weather-basic', version: '*', tags: [] }];
      register(
        topology,
        agent('consumer-1', [
          tool('report', 'report', {
            dependencies: [dep('weather-pro', { version: '>=2', fallbacks })],
          }),
        ]),
      );
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['basic-1.forecast']);
      expect(resolutionAt(topology, 'consumer-1', 'report').alternative).toBe(1);

      register(topology, agent('pro-1', [tool('forecast', 'weather-pro', { version: '2.0.0' })]));
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['pro-1.forecast']);
      expect(resolutionAt(topology, 'consumer-1', 'report').alternative).toBe(0);

      topology.remove('pro-1');
      topology.remove('basic-1');
      const nothing = resolutionAt(topology, 'consumer-1', 'report');
      expect(nothing.candidates).toEqual([]);
      expect(nothing.alternative).toBeUndefined();
      expect(nothing.rejections).toEqual([
        {
          agentId: 'old-1',
          functionName: 'forecast',
          reason: 'version 1.0.0 does not satisfy >=2',
        },
      ]);
    });

    it('answers every healthy match, ordered by agent id when otherwise equal', () => {
      const topology = new Topology();
      for (const id of ['w-3', 'w-1', 'w-2'])
        register(topology, agent(id, [tool('forecast', 'weather')]));
      register(topology, weatherConsumer());
      expect(chosen(topology, 'consumer-1', 'report')).toEqual([
        'w-1.forecast',
        'w-2.forecast',
        'w-3.forecast',
      ]);
    });

    it('applies tags, version and namespace with the reasons of the rejected providers', () => {
      const topology = new Topology();
      register(topology, agent('a-1', [tool('f', 'weather', { tags: ['eu'], version: '1.5.0' })]));
      register(
        topology,
        agent('b-1', [tool('f', 'weather', { tags: ['eu', 'fast'], version: '1.2.0' })]),
      );
      register(topology, agent('c-1', [tool('f', 'weather', { tags: ['us'] })]));
      register(topology, agent('d-1', [tool('f', 'weather', { tags: ['eu', 'beta'] })]));
      register(topology, agent('e-1', [tool('f', 'weather', { tags: ['eu'], version: '2.0.0' })]));
      register(
        topology,
        agent('f-1', [tool('f', 'weather', { tags: ['eu'] })], { namespace: 'dev' }),
      );
      register(
        topology,
        agent('consumer-1', [
          tool('report', 'report', {
            dependencies: [
              dep('weather', {
                tags: ['eu', '+fast', '-beta'],
                version: '^1.0.0',
                namespace: 'default',
              }),
            ],
          }),
        ]),
      );
      const resolution = resolutionAt(topology, 'consumer-1', 'report');
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['b-1.f', 'a-1.f']);
      expect(resolution.rejections).toEqual([
        { agentId: 'c-1', functionName: 'f', reason: 'lacks required tag eu' },
        { agentId: 'd-1', functionName: 'f', reason: 'has excluded tag beta' },
        { agentId: 'e-1', functionName: 'f', reason: 'version 2.0.0 does not satisfy ^1.0.0' },
        { agentId: 'f-1', functionName: 'f', reason: 'namespace dev is not default' },
      ]);
    });

    it('carries the endpoint, kwargs and identity of each chosen provider', () => {
      const topology = new Topology();
      register(
        topology,
        agent('w-1', [tool('forecast', 'weather', { kwargs: { timeout: 5 }, tags: ['eu'] })], {
          httpHost: '::1',
          httpPort: 7001,
          namespace: 'prod',
        }),
      );
      // A provider in another namespace than default is found by a dependency that names it.
      register(
        topology,
        agent('consumer-1', [
          tool('report', 'report', { dependencies: [dep('weather', { namespace: 'prod' })] }),
        ]),
      );
      expect(resolutionAt(topology, 'consumer-1', 'report').candidates).toEqual([
        {
          score: 0,
          provider: {
            agentId: 'w-1',
            agentName: 'w',
            namespace: 'prod',
            functionName: 'forecast',
            capability: 'weather',
            version: '1.0.0',
            tags: ['eu'],
            kwargs: { timeout: 5 },
            endpoint: 'http://[::1]:7001',
          },
        },
      ]);
    });

    it('resolves a dependency the agent provides itself to the agent itself, first', () => {
      const topology = new Topology();
      register(
        topology,
        agent('a-1', [tool('forecast', 'weather', { version: '3.0.0', tags: ['fast'] })]),
      );
      register(
        topology,
        agent('z-1', [
          tool('report', 'report', { dependencies: [dep('weather', { tags: ['+fast'] })] }),
          tool('local', 'weather'),
        ]),
      );
      expect(chosen(topology, 'z-1', 'report')).toEqual(['z-1.local', 'a-1.forecast']);
    });

    it('resolves the same for a registration not yet in the topology (resolveFor)', () => {
      const topology = new Topology();
      register(topology, agent('w-2', [tool('forecast', 'weather')]));
      register(topology, agent('w-1', [tool('forecast', 'weather')]));
      const resolution = topology.resolveFor(weatherConsumer());
      expect(topology.get('consumer-1')).toBeUndefined();
      expect(
        resolution.byTool.get('report')?.[0]?.candidates.map(({ provider }) => provider.agentId),
      ).toEqual(['w-1', 'w-2']);
      register(topology, weatherConsumer());
      expect(topology.resolutionOf('consumer-1')?.hash).toBe(resolution.hash);
    });

    it('answers no resolution for an unknown agent', () => {
      expect(new Topology().resolutionOf('nobody')).toBeUndefined();
    });
  });

  describe('health', () => {
    it('marks agents silent since before the deadline unhealthy and drops them from resolution', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]), 1000);
      register(topology, agent('w-2', [tool('forecast', 'weather')]), 2000);
      register(topology, weatherConsumer(), 5000);
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['w-1.forecast', 'w-2.forecast']);
      const revision = topology.revision;

      const changed = topology.markSilentUnhealthy(2000);
      expect(changed.map((state) => state.registration.agentId)).toEqual(['w-1']);
      expect(topology.get('w-1')?.status).toBe('unhealthy');
      expect(topology.get('w-2')?.status).toBe('healthy');
      expect(topology.revision).toBe(revision + 1);
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['w-2.forecast']);
      expect(resolutionAt(topology, 'consumer-1', 'report').rejections).toEqual([]);
      expect(providers(topology, 'weather')).toEqual(['w-2.forecast']);
    });

    it('does not bump the revision when nobody turned silent', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]), 1000);
      topology.markSilentUnhealthy(500);
      topology.markSilentUnhealthy(1000);
      const revision = topology.revision;
      expect(topology.markSilentUnhealthy(900)).toEqual([]);
      expect(topology.revision).toBe(revision);
      expect(topology.markSilentUnhealthy(2000)).toHaveLength(1);
      expect(topology.revision).toBe(revision + 1);
      expect(topology.markSilentUnhealthy(3000)).toEqual([]);
      expect(topology.revision).toBe(revision + 1);
    });

    it('touch refreshes a healthy agent and answers unknown for an unknown one', () => {
      const topology = new Topology();
      register(topology, agent('a-1', [tool('x', 'cap-x')]), 1000);
      const revision = topology.revision;
      expect(topology.touch('a-1', 1500)).toBe('healthy');
      expect(topology.get('a-1')?.lastSeen).toBe(1500);
      expect(topology.revision).toBe(revision);
      expect(topology.markSilentUnhealthy(1200)).toEqual([]);
      expect(topology.touch('nobody', 1500)).toBe('unknown');
    });

    it('touch answers unhealthy for an unhealthy agent and never revives it', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]), 1000);
      topology.markSilentUnhealthy(2000);
      const revision = topology.revision;
      expect(topology.touch('w-1', 3000)).toBe('unhealthy');
      expect(topology.get('w-1')).toMatchObject({ status: 'unhealthy', lastSeen: 1000 });
      expect(topology.revision).toBe(revision);
      expect(providers(topology, 'weather')).toEqual([]);
    });

    it('answers recovered when an unhealthy agent sends the same registration again', () => {
      const topology = new Topology();
      const provider = agent('w-1', [tool('forecast', 'weather')]);
      register(topology, provider, 1000);
      register(topology, weatherConsumer(), 1000);
      topology.markSilentUnhealthy(2000);
      expect(chosen(topology, 'consumer-1', 'report')).toEqual([]);
      const revision = topology.revision;

      expect(register(topology, provider, 3000)).toBe('recovered');
      expect(topology.get('w-1')).toMatchObject({ status: 'healthy', lastSeen: 3000 });
      expect(topology.revision).toBe(revision + 1);
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['w-1.forecast']);
      expect(register(topology, provider, 3100)).toBe('unchanged');
    });

    it('revives an unhealthy agent that sends a different registration, as an update', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]), 1000);
      register(topology, weatherConsumer(), 5000);
      topology.markSilentUnhealthy(2000);
      expect(register(topology, agent('w-1', [tool('forecast2', 'weather')]), 3000)).toBe(
        'updated',
      );
      expect(topology.get('w-1')?.status).toBe('healthy');
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['w-1.forecast2']);
    });

    it('evicts agents unhealthy and silent since before the deadline, without bumping', () => {
      const topology = new Topology();
      register(topology, agent('a-1', [tool('x', 'cap-x')]), 1000);
      register(topology, agent('b-1', [tool('x', 'cap-x')]), 2000);
      register(topology, agent('c-1', [tool('x', 'cap-x')]), 1000);
      topology.markSilentUnhealthy(2500);
      topology.touch('c-1', 9999); // refused: unhealthy
      register(topology, agent('d-1', [tool('x', 'cap-x')]), 100); // healthy, however old
      const revision = topology.revision;

      const evicted = topology.evictSilent(1500);
      expect(evicted.map((state) => state.registration.agentId)).toEqual(['a-1', 'c-1']);
      expect(topology.revision).toBe(revision);
      expect(topology.get('a-1')).toBeUndefined();
      expect(topology.resolutionOf('a-1')).toBeUndefined();
      expect(topology.get('b-1')?.status).toBe('unhealthy');
      expect(topology.get('d-1')?.status).toBe('healthy');
      expect(topology.size).toBe(2);
      expect(topology.evictSilent(1500)).toEqual([]);
    });

    it('registers an evicted agent anew', () => {
      const topology = new Topology();
      const registration = agent('a-1', [tool('x', 'cap-x')]);
      register(topology, registration, 1000);
      topology.markSilentUnhealthy(2000);
      topology.evictSilent(2000);
      expect(register(topology, registration, 3000)).toBe('registered');
      expect(topology.get('a-1')).toMatchObject({ status: 'healthy', createdAt: 3000 });
      expect(providers(topology, 'cap-x')).toEqual(['a-1.x']);
    });

    it('removes a healthy agent, bumping and dropping its tools', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]));
      register(topology, agent('w-2', [tool('forecast', 'weather')]));
      register(topology, weatherConsumer());
      const revision = topology.revision;
      expect(topology.remove('w-1')?.registration.agentId).toBe('w-1');
      expect(topology.revision).toBe(revision + 1);
      expect(topology.get('w-1')).toBeUndefined();
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['w-2.forecast']);
    });

    it('removes an unhealthy agent without bumping, and answers undefined for an unknown one', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]), 1000);
      topology.markSilentUnhealthy(2000);
      const revision = topology.revision;
      expect(topology.remove('w-1')?.status).toBe('unhealthy');
      expect(topology.revision).toBe(revision);
      expect(topology.size).toBe(0);
      expect(topology.remove('w-1')).toBeUndefined();
    });

    it('restores agents from storage, offering only the healthy ones', () => {
      const topology = new Topology();
      const state = (
        registration: AgentRegistration,
        status: AgentState['status'],
      ): AgentState => ({
        registration,
        registrationHash: hashOf(registration),
        endpoint: `http://127.0.0.1:${registration.httpPort}`,
        status,
        lastSeen: 1000,
        createdAt: 500,
      });
      topology.restore(state(agent('w-1', [tool('forecast', 'weather')]), 'healthy'));
      topology.restore(state(agent('w-2', [tool('forecast', 'weather')]), 'unhealthy'));
      expect(topology.size).toBe(2);
      expect(topology.revision).toBe(2);
      expect(providers(topology, 'weather')).toEqual(['w-1.forecast']);
      expect(topology.touch('w-2', 2000)).toBe('unhealthy');
      const w2 = topology.get('w-2')!;
      expect(topology.upsert(w2.registration, w2.registrationHash, 2000)).toBe('recovered');
      expect(providers(topology, 'weather')).toEqual(['w-1.forecast', 'w-2.forecast']);
    });
  });

  describe('required dependencies and availability', () => {
    it('makes a tool unavailable when a required dependency does not resolve', () => {
      const topology = new Topology();
      register(
        topology,
        agent('b-1', [
          tool('y', 'cap-y', { dependencies: [req('cap-missing')] }),
          tool('z', 'cap-z', { dependencies: [dep('cap-missing')] }),
        ]),
      );
      register(
        topology,
        agent('a-1', [tool('x', 'cap-x', { dependencies: [dep('cap-y'), dep('cap-z')] })]),
      );
      expect(providers(topology, 'cap-y')).toEqual([]);
      expect(providers(topology, 'cap-z')).toEqual(['b-1.z']);
      expect(chosen(topology, 'a-1', 'x', 0)).toEqual([]);
      expect(chosen(topology, 'a-1', 'x', 1)).toEqual(['b-1.z']);
      // the agent of an unavailable tool still sees its own (empty) resolution
      expect(chosen(topology, 'b-1', 'y')).toEqual([]);
    });

    it('counts a required dependency as resolved only when it has a candidate after tags and version', () => {
      const topology = new Topology();
      register(topology, agent('c-1', [tool('z', 'cap-z', { version: '1.0.0', tags: ['eu'] })]));
      register(
        topology,
        agent('b-1', [
          tool('tagged', 'cap-y', { dependencies: [req('cap-z', { tags: ['us'] })] }),
          tool('versioned', 'cap-y', { dependencies: [req('cap-z', { version: '>=2' })] }),
          tool('fine', 'cap-y', { dependencies: [req('cap-z', { tags: ['eu'], version: '^1' })] }),
        ]),
      );
      expect(providers(topology, 'cap-y')).toEqual(['b-1.fine']);
    });

    it('propagates unavailability transitively, three levels deep, and recovers when the provider appears', () => {
      const topology = new Topology();
      // a-1.x -> b-1.y -> c-1.z -> (cap-d, missing); all required.
      register(topology, agent('c-1', [tool('z', 'cap-z', { dependencies: [req('cap-d')] })]));
      register(topology, agent('b-1', [tool('y', 'cap-y', { dependencies: [req('cap-z')] })]));
      register(topology, agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-y')] })]));
      register(topology, agent('top-1', [tool('t', 'cap-t', { dependencies: [dep('cap-x')] })]));

      expect(providers(topology, 'cap-z')).toEqual([]);
      expect(providers(topology, 'cap-y')).toEqual([]);
      expect(providers(topology, 'cap-x')).toEqual([]);
      expect(chosen(topology, 'top-1', 't')).toEqual([]);
      expect(chosen(topology, 'a-1', 'x')).toEqual([]);
      expect(chosen(topology, 'b-1', 'y')).toEqual([]);
      const before = hashOfResolution(topology, 'top-1');

      register(topology, agent('d-1', [tool('d', 'cap-d')]));
      expect(providers(topology, 'cap-z')).toEqual(['c-1.z']);
      expect(providers(topology, 'cap-y')).toEqual(['b-1.y']);
      expect(providers(topology, 'cap-x')).toEqual(['a-1.x']);
      expect(chosen(topology, 'top-1', 't')).toEqual(['a-1.x']);
      expect(chosen(topology, 'a-1', 'x')).toEqual(['b-1.y']);
      expect(chosen(topology, 'b-1', 'y')).toEqual(['c-1.z']);
      expect(chosen(topology, 'c-1', 'z')).toEqual(['d-1.d']);
      expect(hashOfResolution(topology, 'top-1')).not.toBe(before);
    });

    it('propagates unavailability when the bottom provider dies and lifts it when it recovers', () => {
      const topology = new Topology();
      const bottom = agent('d-1', [tool('d', 'cap-d')]);
      register(topology, bottom, 1000);
      register(
        topology,
        agent('c-1', [tool('z', 'cap-z', { dependencies: [req('cap-d')] })]),
        5000,
      );
      register(
        topology,
        agent('b-1', [tool('y', 'cap-y', { dependencies: [req('cap-z')] })]),
        5000,
      );
      register(
        topology,
        agent('a-1', [tool('x', 'cap-x', { dependencies: [dep('cap-y')] })]),
        5000,
      );
      expect(chosen(topology, 'a-1', 'x')).toEqual(['b-1.y']);
      const healthyHash = hashOfResolution(topology, 'a-1');

      topology.markSilentUnhealthy(2000);
      expect(chosen(topology, 'a-1', 'x')).toEqual([]);
      expect(providers(topology, 'cap-z')).toEqual([]);
      expect(hashOfResolution(topology, 'a-1')).not.toBe(healthyHash);

      expect(register(topology, bottom, 6000)).toBe('recovered');
      expect(chosen(topology, 'a-1', 'x')).toEqual(['b-1.y']);
      expect(hashOfResolution(topology, 'a-1')).toBe(healthyHash);
    });

    it('keeps a tool available while at least one provider of its required dependency is usable', () => {
      const topology = new Topology();
      register(topology, agent('d-1', [tool('d', 'cap-d')]), 1000);
      register(topology, agent('d-2', [tool('d', 'cap-d')]), 5000);
      register(
        topology,
        agent('b-1', [tool('y', 'cap-y', { dependencies: [req('cap-d')] })]),
        5000,
      );
      topology.markSilentUnhealthy(2000);
      expect(providers(topology, 'cap-y')).toEqual(['b-1.y']);
      topology.remove('d-2');
      expect(providers(topology, 'cap-y')).toEqual([]);
    });

    it('makes a tool unavailable when any one of several required dependencies fails', () => {
      const topology = new Topology();
      register(topology, agent('p-1', [tool('p', 'cap-p')]));
      register(
        topology,
        agent('b-1', [
          tool('y', 'cap-y', { dependencies: [req('cap-p'), dep('cap-q'), req('cap-r')] }),
        ]),
      );
      expect(providers(topology, 'cap-y')).toEqual([]);
      register(topology, agent('r-1', [tool('r', 'cap-r')]));
      expect(providers(topology, 'cap-y')).toEqual(['b-1.y']);
    });

    it('keeps a tool with a required position of alternatives available while any alternative resolves', () => {
      const topology = new Topology();
      register(topology, agent('c-1', [tool('z', 'cap-fallback')]));
      register(
        topology,
        agent('b-1', [
          tool('y', 'cap-y', {
            dependencies: [
              req('cap-missing', {
                fallbacks: [{ capability: 'cap-fallback', version: '*', tags: [] }],
              }),
            ],
          }),
        ]),
      );
      expect(providers(topology, 'cap-y')).toEqual(['b-1.y']);
      topology.remove('c-1');
      expect(providers(topology, 'cap-y')).toEqual([]);
    });

    it('never lets an optional dependency make a tool unavailable', () => {
      const topology = new Topology();
      register(
        topology,
        agent('b-1', [tool('y', 'cap-y', { dependencies: [dep('cap-missing')] })]),
      );
      expect(providers(topology, 'cap-y')).toEqual(['b-1.y']);
    });

    it('resolves a required dependency to a tool of the same agent', () => {
      const topology = new Topology();
      register(
        topology,
        agent('a-1', [
          tool('x', 'cap-x', { dependencies: [req('cap-helper')] }),
          tool('helper', 'cap-helper'),
        ]),
      );
      expect(providers(topology, 'cap-x')).toEqual(['a-1.x']);
      expect(chosen(topology, 'a-1', 'x')).toEqual(['a-1.helper']);
    });
  });

  describe('resolution hash', () => {
    it('is the hash of the resolution, cached until the topology changes', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]));
      register(topology, weatherConsumer());
      const hash = topology.resolutionHashOf('consumer-1');
      expect(hash).toBe(hashOfResolution(topology, 'consumer-1'));
      expect(topology.resolutionHashOf('consumer-1')).toBe(hash);
      register(topology, agent('w-2', [tool('forecast', 'weather', { version: '2.0.0' })]));
      expect(topology.resolutionHashOf('consumer-1')).not.toBe(hash);
      expect(topology.resolutionHashOf('nobody')).toBeUndefined();
    });

    it('stays equal on an unchanged heartbeat and on a fast heartbeat', () => {
      const topology = new Topology();
      const provider = agent('w-1', [tool('forecast', 'weather')]);
      register(topology, provider);
      register(topology, weatherConsumer());
      const hash = hashOfResolution(topology, 'consumer-1');
      register(topology, provider, 10);
      topology.touch('w-1', 20);
      expect(hashOfResolution(topology, 'consumer-1')).toBe(hash);
    });

    it('stays equal when an unrelated agent registers, though the revision bumps', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]));
      register(topology, weatherConsumer());
      const hash = hashOfResolution(topology, 'consumer-1');
      const revision = topology.revision;
      register(
        topology,
        agent('n-1', [tool('headlines', 'news', { dependencies: [dep('weather')] })]),
      );
      expect(topology.revision).toBe(revision + 1);
      expect(hashOfResolution(topology, 'consumer-1')).toBe(hash);
    });

    it('stays equal when a provider of the capability registers but is rejected', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather', { tags: ['eu'] })]));
      register(
        topology,
        agent('consumer-1', [
          tool('report', 'report', { dependencies: [dep('weather', { tags: ['eu'] })] }),
        ]),
      );
      const hash = hashOfResolution(topology, 'consumer-1');
      register(topology, agent('w-2', [tool('forecast', 'weather', { tags: ['us'] })]));
      register(
        topology,
        agent('w-3', [tool('forecast', 'weather', { tags: ['eu'], version: 'bad' })]),
      );
      expect(hashOfResolution(topology, 'consumer-1')).toBe(hash);
    });

    it('stays equal when a chosen provider re-registers with changes that do not reach consumers', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')], { httpPort: 7001 }));
      register(topology, weatherConsumer());
      const hash = hashOfResolution(topology, 'consumer-1');
      const revision = topology.revision;
      const redescribed = agent(
        'w-1',
        [tool('forecast', 'weather', { description: 'Now with clouds' }), tool('other', 'other')],
        { httpPort: 7001, description: 'New' },
      );
      expect(register(topology, redescribed)).toBe('updated');
      expect(topology.revision).toBe(revision + 1);
      expect(hashOfResolution(topology, 'consumer-1')).toBe(hash);
    });

    it('changes when a provider appears', () => {
      const topology = new Topology();
      register(topology, weatherConsumer());
      const empty = hashOfResolution(topology, 'consumer-1');
      register(topology, agent('w-1', [tool('forecast', 'weather')]));
      const one = hashOfResolution(topology, 'consumer-1');
      register(topology, agent('w-2', [tool('forecast', 'weather')]));
      const two = hashOfResolution(topology, 'consumer-1');
      expect(new Set([empty, one, two]).size).toBe(3);
    });

    it('changes when a provider dies and returns to its value when the provider recovers', () => {
      const topology = new Topology();
      const provider = agent('w-1', [tool('forecast', 'weather')]);
      register(topology, provider, 1000);
      register(topology, agent('w-2', [tool('forecast', 'weather')]), 5000);
      register(topology, weatherConsumer(), 5000);
      const hash = hashOfResolution(topology, 'consumer-1');
      topology.markSilentUnhealthy(2000);
      expect(hashOfResolution(topology, 'consumer-1')).not.toBe(hash);
      register(topology, provider, 6000);
      expect(hashOfResolution(topology, 'consumer-1')).toBe(hash);
    });

    it('changes when a chosen provider is removed', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')]));
      register(topology, weatherConsumer());
      const hash = hashOfResolution(topology, 'consumer-1');
      topology.remove('w-1');
      expect(hashOfResolution(topology, 'consumer-1')).not.toBe(hash);
    });

    it('changes when a chosen provider changes endpoint', () => {
      const topology = new Topology();
      register(topology, agent('w-1', [tool('forecast', 'weather')], { httpPort: 7001 }));
      register(topology, weatherConsumer());
      const hash = hashOfResolution(topology, 'consumer-1');
      register(topology, agent('w-1', [tool('forecast', 'weather')], { httpPort: 7002 }));
      expect(hashOfResolution(topology, 'consumer-1')).not.toBe(hash);
    });

    it('changes when a chosen provider changes kwargs', () => {
      const topology = new Topology();
      register(
        topology,
        agent('w-1', [tool('forecast', 'weather', { kwargs: { timeout: 5 } })], { httpPort: 7001 }),
      );
      register(topology, weatherConsumer());
      const hash = hashOfResolution(topology, 'consumer-1');
      register(
        topology,
        agent('w-1', [tool('forecast', 'weather', { kwargs: { timeout: 6 } })], { httpPort: 7001 }),
      );
      expect(hashOfResolution(topology, 'consumer-1')).not.toBe(hash);
    });

    it('changes when the best provider changes order', () => {
      const topology = new Topology();
      register(
        topology,
        agent('w-1', [tool('forecast', 'weather', { version: '1.0.0' })], { httpPort: 7001 }),
      );
      register(
        topology,
        agent('w-2', [tool('forecast', 'weather', { version: '1.0.0' })], { httpPort: 7002 }),
      );
      register(topology, weatherConsumer());
      const hash = hashOfResolution(topology, 'consumer-1');
      register(
        topology,
        agent('w-2', [tool('forecast', 'weather', { version: '1.1.0' })], { httpPort: 7002 }),
      );
      expect(chosen(topology, 'consumer-1', 'report')).toEqual(['w-2.forecast', 'w-1.forecast']);
      expect(hashOfResolution(topology, 'consumer-1')).not.toBe(hash);
    });

    it('is the same for the same resolution in two topologies (replicas agree)', () => {
      const build = (order: string[]) => {
        const topology = new Topology();
        for (const id of order) {
          register(
            topology,
            agent(id, [tool('forecast', 'weather')], { httpPort: Number(id.slice(2)) + 7000 }),
          );
        }
        register(
          topology,
          agent('consumer-1', [tool('report', 'report', { dependencies: [dep('weather')] })], {
            httpPort: 1,
          }),
        );
        return hashOfResolution(topology, 'consumer-1');
      };
      expect(build(['w-1', 'w-2', 'w-3'])).toBe(build(['w-3', 'w-1', 'w-2']));
    });
  });

  describe('cycles of required dependencies', () => {
    it('names the cycle two agents would close', () => {
      const topology = new Topology();
      register(topology, agent('b-1', [tool('y', 'cap-y', { dependencies: [req('cap-x')] })]));
      const a = agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-y')] })]);
      expect(topology.requiredCycle(a)).toEqual(['a-1.x', 'b-1.y', 'a-1.x']);
    });

    it('names a cycle of three agents, starting at the registering one', () => {
      const topology = new Topology();
      register(topology, agent('b-1', [tool('y', 'cap-y', { dependencies: [req('cap-z')] })]));
      register(topology, agent('c-1', [tool('z', 'cap-z', { dependencies: [req('cap-x')] })]));
      const a = agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-y')] })]);
      expect(topology.requiredCycle(a)).toEqual(['a-1.x', 'b-1.y', 'c-1.z', 'a-1.x']);
    });

    it('names a tool that requires itself', () => {
      const topology = new Topology();
      const a = agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-x')] })]);
      expect(topology.requiredCycle(a)).toEqual(['a-1.x', 'a-1.x']);
    });

    it('names a cycle between two tools of the same agent', () => {
      const topology = new Topology();
      const a = agent('a-1', [
        tool('x', 'cap-x', { dependencies: [req('cap-y')] }),
        tool('y', 'cap-y', { dependencies: [req('cap-x')] }),
      ]);
      expect(topology.requiredCycle(a)).toEqual(['a-1.x', 'a-1.y', 'a-1.x']);
    });

    it('finds a cycle through any candidate, not only the best one', () => {
      const topology = new Topology();
      register(topology, agent('b-1', [tool('y', 'cap-y')]));
      register(topology, agent('c-1', [tool('y', 'cap-y', { dependencies: [req('cap-x')] })]));
      const a = agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-y')] })]);
      expect(topology.requiredCycle(a)).toEqual(['a-1.x', 'c-1.y', 'a-1.x']);
    });

    it('ignores cycles with an optional edge', () => {
      const topology = new Topology();
      register(topology, agent('b-1', [tool('y', 'cap-y', { dependencies: [dep('cap-x')] })]));
      const a = agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-y')] })]);
      expect(topology.requiredCycle(a)).toBeUndefined();
      expect(
        topology.requiredCycle(
          agent('a-1', [tool('x', 'cap-x', { dependencies: [dep('cap-y')] })]),
        ),
      ).toBeUndefined();
    });

    it('ignores providers the dependency would not resolve to', () => {
      const topology = new Topology();
      register(
        topology,
        agent('b-1', [tool('y', 'cap-y', { tags: ['beta'], dependencies: [req('cap-x')] })]),
      );
      register(
        topology,
        agent('c-1', [tool('y', 'cap-y', { version: '2.0.0', dependencies: [req('cap-x')] })]),
      );
      const a = agent('a-1', [
        tool('x', 'cap-x', { dependencies: [req('cap-y', { tags: ['-beta'], version: '^1' })] }),
      ]);
      expect(topology.requiredCycle(a)).toBeUndefined();
    });

    it('ignores unhealthy agents', () => {
      const topology = new Topology();
      register(
        topology,
        agent('b-1', [tool('y', 'cap-y', { dependencies: [req('cap-x')] })]),
        1000,
      );
      topology.markSilentUnhealthy(2000);
      const a = agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-y')] })]);
      expect(topology.requiredCycle(a)).toBeUndefined();
    });

    it('checks the new registration of an agent in place of its current one', () => {
      const topology = new Topology();
      register(topology, agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-y')] })]));
      register(topology, agent('b-1', [tool('y', 'cap-y', { dependencies: [dep('cap-x')] })]));
      // b-1 turning its dependency required closes the cycle
      const b = agent('b-1', [tool('y', 'cap-y', { dependencies: [req('cap-x')] })]);
      expect(topology.requiredCycle(b)).toEqual(['b-1.y', 'a-1.x', 'b-1.y']);
      // a-1 dropping its dependency opens it again
      register(topology, agent('a-1', [tool('x', 'cap-x')]));
      expect(topology.requiredCycle(b)).toBeUndefined();
      // a-1 re-registering without the dependency is checked without its old tools
      register(topology, b);
      expect(topology.requiredCycle(agent('a-1', [tool('x', 'cap-x')]))).toBeUndefined();
    });

    it('answers undefined for a chain without a cycle', () => {
      const topology = new Topology();
      register(topology, agent('c-1', [tool('z', 'cap-z')]));
      register(topology, agent('b-1', [tool('y', 'cap-y', { dependencies: [req('cap-z')] })]));
      const a = agent('a-1', [tool('x', 'cap-x', { dependencies: [req('cap-y'), req('cap-z')] })]);
      expect(topology.requiredCycle(a)).toBeUndefined();
    });
  });
});
