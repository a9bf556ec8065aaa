import { describe, expect, it } from 'vitest';
import { matchAgents, matchOneAgent } from '../registry/match-agent.js';
import {
  clockAgent,
  fixtureNow,
  greeterAgent,
  greeterDependency,
  resolvedEvent,
} from '../registry/test-fixtures.js';
import { formatAgentStatus } from './status.js';
import { explainAgent } from './status-report.js';

const registryUrl = 'http://localhost:8000';

describe('meshctl status', () => {
  it('explains a resolved dependency: provider, candidates, rejections, when it was chosen', () => {
    const older = resolvedEvent({
      event_id: 1,
      event_type: 'dependency_unresolved',
      timestamp: '2026-03-01T11:00:00Z',
      data: { position: 0, capability: 'date_service', chosen: '', candidates: [], rejected: [] },
    });
    const report = explainAgent(greeterAgent(), {
      dependencies: [greeterDependency()],
      events: [older, resolvedEvent()],
      mesh: [clockAgent()],
    });
    expect(report.tools[0]?.dependencies[0]).toEqual({
      position: 0,
      capability: 'date_service',
      version: '>=1.0.0',
      tags: ['system'],
      status: 'available',
      provider: {
        agent_id: 'clock-1a2b3c4d',
        tool: 'get_current_date',
        endpoint: 'http://127.0.0.1:9001',
      },
      decision: {
        chosen: 'clock-1a2b3c4d.get_current_date',
        candidates: [{ provider: 'clock-1a2b3c4d.get_current_date', version: '1.0.0', score: 0 }],
        rejected: [
          {
            agent_id: 'clock-old',
            function_name: 'get_current_date',
            reason: 'version 0.9.0 does not satisfy >=1.0.0',
          },
        ],
        decided_at: '2026-03-01T11:58:00Z',
        event_id: 3,
      },
      unusable: [],
    });
    expect(formatAgentStatus(report, { now: fixtureNow })).toEqual([
      'greeter  greeter-5e6f7a8b  healthy',
      '  endpoint      http://127.0.0.1:9002',
      '  version       1.0.0, namespace default, typescript',
      '  up            2h (registered 2026-03-01 10:00:00Z), last seen 1s ago',
      '  dependencies  1/1 resolved',
      '',
      'tool greet  greeting@1.0.0 [demo]  available',
      '  dependency 0: date_service >=1.0.0 [system]',
      '    resolved  clock-1a2b3c4d → get_current_date at http://127.0.0.1:9001',
      '    why       1 candidate, best first: clock-1a2b3c4d.get_current_date 1.0.0 (score 0)',
      '              rejected clock-old.get_current_date: version 0.9.0 does not satisfy >=1.0.0',
      '    decided   2026-03-01 11:58:00Z (2m ago)',
    ]);
  });

  it('takes candidates and rejections from the current resolution, not from the last event', () => {
    const second = {
      agent_id: 'clock-2',
      function_name: 'get_current_date',
      endpoint: 'http://127.0.0.1:9003',
      capability: 'date_service',
      version: '1.0.0',
      tags: ['system'],
      kwargs: {},
      score: 0,
    };
    const now = greeterDependency({
      candidates: [...greeterDependency().candidates, second],
      rejected: [],
    });
    const report = explainAgent(greeterAgent(), { dependencies: [now], events: [resolvedEvent()] });
    const lines = formatAgentStatus(report, { now: fixtureNow });
    expect(lines).toContain(
      '    why       2 candidates, best first: clock-1a2b3c4d.get_current_date 1.0.0 (score 0), clock-2.get_current_date 1.0.0 (score 0)',
    );
    expect(lines.join('\n')).not.toContain('clock-old');
    // Same choice as the event: its time is when the current choice was made.
    expect(lines).toContain('    decided   2026-03-01 11:58:00Z (2m ago)');
  });

  it('explains an unresolved dependency: nobody offers it, or only unusable agents do', () => {
    const unresolved = greeterAgent({
      dependencies_resolved: 0,
      dependency_resolutions: [
        {
          function_name: 'greet',
          capability: 'date_service',
          tags: ['system', ['utc', 'local'], '-beta'],
          mcp_tool: null,
          provider_agent_id: null,
          endpoint: null,
          status: 'unresolved',
        },
      ],
    });
    const nothing = greeterDependency({
      version: '^2',
      tags: ['system', ['utc', 'local'], '-beta'],
      status: 'unresolved',
      candidates: [],
      rejected: [],
    });
    const event = resolvedEvent({
      event_id: 9,
      event_type: 'dependency_unresolved',
      data: { position: 0, capability: 'date_service', version: '^2', chosen: '' },
    });
    const alone = formatAgentStatus(
      explainAgent(unresolved, { dependencies: [nothing], events: [event], mesh: [unresolved] }),
      { now: fixtureNow },
    );
    expect(alone.slice(7)).toEqual([
      '  dependency 0: date_service ^2 [system, (utc | local), -beta]',
      '    unresolved  no provider',
      '    why         no agent offers date_service; start one that does',
      '    decided     2026-03-01 11:58:00Z (2m ago)',
    ]);
    const withUnhealthyClock = formatAgentStatus(
      explainAgent(unresolved, {
        dependencies: [nothing],
        events: [event],
        mesh: [unresolved, clockAgent({ status: 'unhealthy' })],
      }),
      { now: fixtureNow },
    );
    expect(withUnhealthyClock).toContain(
      '    why         not considered clock-1a2b3c4d.get_current_date: agent is unhealthy',
    );
  });

  it("says why a dependency is unresolved in the registry's words, and reads the predecessor's events", () => {
    const unresolved = greeterAgent({
      dependencies_resolved: 0,
      dependency_resolutions: [
        {
          function_name: 'greet',
          capability: 'date_service',
          tags: [],
          mcp_tool: null,
          provider_agent_id: null,
          endpoint: null,
          status: 'unresolved',
        },
      ],
    });
    const banana = greeterDependency({
      version: 'banana',
      tags: [],
      status: 'unresolved',
      candidates: [],
      rejected: [],
      reason:
        'the range "banana" is not a semver range; fix the dependency\'s version (e.g. >=1.0.0, ^2)',
    });
    // The predecessor's shape: dep_index and spec, no position, chosen absent.
    const event = resolvedEvent({
      event_id: 9,
      event_type: 'dependency_unresolved',
      data: {
        dep_index: 0,
        spec: { capability: 'date_service', version_constraint: 'banana' },
        stages: [],
      },
    });
    const lines = formatAgentStatus(
      explainAgent(unresolved, { dependencies: [banana], events: [event], mesh: [unresolved] }),
      { now: fixtureNow },
    );
    expect(lines.slice(7)).toEqual([
      '  dependency 0: date_service banana',
      '    unresolved  no provider',
      '    why         the range "banana" is not a semver range; fix the dependency\'s version (e.g. >=1.0.0, ^2)',
      '    decided     2026-03-01 11:58:00Z (2m ago)',
    ]);
  });

  it('ignores explanations and events about another agent, tool or capability', () => {
    const report = explainAgent(greeterAgent(), {
      dependencies: [
        greeterDependency({ capability: 'old_capability' }),
        greeterDependency({ function_name: 'other_tool' }),
      ],
      events: [resolvedEvent({ agent_id: 'someone-else' })],
    });
    const dependency = report.tools[0]?.dependencies[0];
    expect(dependency?.decision).toBeNull();
    expect(dependency?.version).toBeUndefined();
    expect(formatAgentStatus(report, { now: fixtureNow })).toContain(
      '    why       the registry did not explain this position; run meshctl status again',
    );
  });

  it('numbers the positions of each tool separately and says when the agent lags behind', () => {
    const agent = greeterAgent({
      capabilities: [
        { name: 'greeting', version: '1.0.0', function_name: 'greet' },
        { name: 'farewell', version: '1.0.0', function_name: 'bye', available: false },
      ],
      dependency_resolutions: [
        { function_name: 'greet', capability: 'a', status: 'unresolved' },
        { function_name: 'bye', capability: 'b', status: 'unresolved' },
        { function_name: 'greet', capability: 'c', status: 'unresolved' },
      ],
    });
    const unresolvedAt = (function_name: string, position: number, capability: string) =>
      greeterDependency({
        function_name,
        position,
        capability,
        status: 'unresolved',
        candidates: [],
        rejected: [],
      });
    const lagging = resolvedEvent({
      function_name: 'greet',
      data: { position: 1, capability: 'c', chosen: 'p-1.c' },
    });
    const report = explainAgent(agent, {
      dependencies: [unresolvedAt('greet', 0, 'a'), unresolvedAt('greet', 1, 'c')],
      events: [lagging],
    });
    expect(
      report.tools.map((tool) =>
        tool.dependencies.map((entry) => `${entry.position}:${entry.capability}`),
      ),
    ).toEqual([['0:a', '1:c'], ['0:b']]);
    expect(report.tools[1]?.available).toBe(false);
    const text = formatAgentStatus(report, { now: fixtureNow }).join('\n');
    expect(text).toContain(
      'the agent has not picked this up yet: it was last given p-1.c (2026-03-01 11:58:00Z) and asks again on its next heartbeat',
    );
    expect(text).not.toContain('decided');
  });
});

describe('agent matching', () => {
  const agents = [
    clockAgent(),
    greeterAgent(),
    greeterAgent({ id: 'greeter-99', name: 'greeter' }),
    greeterAgent({ id: 'greeter', name: 'front-door' }),
  ];

  it('prefers an exact id, then an exact name, then a part of either', () => {
    expect(matchAgents(agents, 'greeter').map((agent) => agent.id)).toEqual(['greeter']);
    expect(matchAgents(agents, 'clock').map((agent) => agent.id)).toEqual(['clock-1a2b3c4d']);
    expect(matchAgents(agents, 'FRONT').map((agent) => agent.id)).toEqual(['greeter']);
    expect(matchAgents(agents, '5e6f').map((agent) => agent.id)).toEqual(['greeter-5e6f7a8b']);
    expect(matchAgents(agents, 'greeter-').map((agent) => agent.id)).toEqual([
      'greeter-5e6f7a8b',
      'greeter-99',
    ]);
  });

  it('lists the matches of an ambiguous name, and the agents there are for an unknown one', () => {
    expect(() => matchOneAgent(agents, 'greeter-', registryUrl)).toThrow(
      '"greeter-" matches 2 agents; give more of the id:\n  greeter-5e6f7a8b  greeter  healthy\n  greeter-99        greeter  healthy',
    );
    expect(() => matchOneAgent(agents, 'nobody', registryUrl)).toThrow(
      'no agent matches "nobody" at http://localhost:8000 (agents: clock-1a2b3c4d, greeter-5e6f7a8b, greeter-99, greeter); see meshctl list --all',
    );
    expect(() => matchOneAgent([], 'nobody', registryUrl)).toThrow(/has no agents; start some/);
    expect(matchOneAgent(agents, '99', registryUrl).id).toBe('greeter-99');
  });
});
