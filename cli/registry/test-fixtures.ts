/** AgentInfo values shaped like the registry's `GET /agents`, for meshctl's unit tests. */
import type { AgentInfo, DependencyExplanation, RegistryEventInfo } from './registry-types.js';

export const fixtureNow = Date.parse('2026-03-01T12:00:00Z');

export function clockAgent(overrides: Partial<AgentInfo> = {}): AgentInfo {
  return {
    id: 'clock-1a2b3c4d',
    name: 'clock',
    agent_type: 'mcp_agent',
    runtime: 'typescript',
    namespace: 'default',
    status: 'healthy',
    endpoint: 'http://127.0.0.1:9001',
    version: '1.0.0',
    capabilities: [
      {
        name: 'date_service',
        version: '1.0.0',
        function_name: 'get_current_date',
        tags: ['system'],
        available: true,
      },
    ],
    total_dependencies: 0,
    dependencies_resolved: 0,
    dependency_resolutions: [],
    created_at: '2026-03-01T11:55:00Z',
    last_seen: '2026-03-01T11:59:58Z',
    ...overrides,
  };
}

export function greeterAgent(overrides: Partial<AgentInfo> = {}): AgentInfo {
  return {
    id: 'greeter-5e6f7a8b',
    name: 'greeter',
    agent_type: 'mcp_agent',
    runtime: 'typescript',
    namespace: 'default',
    status: 'healthy',
    endpoint: 'http://127.0.0.1:9002',
    version: '1.0.0',
    capabilities: [
      {
        name: 'greeting',
        version: '1.0.0',
        function_name: 'greet',
        tags: ['demo'],
        available: true,
      },
    ],
    total_dependencies: 1,
    dependencies_resolved: 1,
    dependency_resolutions: [
      {
        function_name: 'greet',
        capability: 'date_service',
        tags: ['system'],
        mcp_tool: 'get_current_date',
        provider_agent_id: 'clock-1a2b3c4d',
        endpoint: 'http://127.0.0.1:9001',
        status: 'available',
      },
    ],
    created_at: '2026-03-01T10:00:00Z',
    last_seen: '2026-03-01T11:59:59Z',
    ...overrides,
  };
}

export function resolvedEvent(overrides: Partial<RegistryEventInfo> = {}): RegistryEventInfo {
  return {
    event_id: 3,
    event_type: 'dependency_resolved',
    agent_id: 'greeter-5e6f7a8b',
    agent_name: 'greeter',
    function_name: 'greet',
    timestamp: '2026-03-01T11:58:00Z',
    data: {
      position: 0,
      capability: 'date_service',
      version: '>=1.0.0',
      tags: ['system'],
      chosen: 'clock-1a2b3c4d.get_current_date',
      candidates: [{ provider: 'clock-1a2b3c4d.get_current_date', version: '1.0.0', score: 0 }],
      rejected: [
        {
          agentId: 'clock-old',
          functionName: 'get_current_date',
          reason: 'version 0.9.0 does not satisfy >=1.0.0',
        },
      ],
      replica: 'r1',
    },
    ...overrides,
  };
}

/** The greeter's dependency as `GET /agents/{id}/dependencies` explains it. */
export function greeterDependency(
  overrides: Partial<DependencyExplanation> = {},
): DependencyExplanation {
  return {
    function_name: 'greet',
    position: 0,
    capability: 'date_service',
    version: '>=1.0.0',
    tags: ['system'],
    status: 'available',
    candidates: [
      {
        agent_id: 'clock-1a2b3c4d',
        function_name: 'get_current_date',
        endpoint: 'http://127.0.0.1:9001',
        capability: 'date_service',
        version: '1.0.0',
        tags: ['system'],
        kwargs: {},
        score: 0,
      },
    ],
    rejected: [
      {
        agent_id: 'clock-old',
        function_name: 'get_current_date',
        reason: 'version 0.9.0 does not satisfy >=1.0.0',
      },
    ],
    ...overrides,
  };
}
