/** The registry API shapes meshctl reads, from the generated OpenAPI types. */
import type { RegistryApiSchemas } from '@mcp-mesh/registry';

type Schemas = RegistryApiSchemas['schemas'];

export type AgentInfo = Schemas['AgentInfo'];
export type AgentDependenciesResponse = Schemas['AgentDependenciesResponse'];
export type DependencyExplanation = Schemas['DependencyExplanation'];
export type AgentsListResponse = Schemas['AgentsListResponse'];
export type CapabilityInfo = Schemas['CapabilityInfo'];
export type DependencyResolutionInfo = Schemas['DependencyResolutionInfo'];
export type DependencyTag = Schemas['DependencyTag'];
export type RegistryEventInfo = Schemas['RegistryEventInfo'];
export type RegistryEventType = Schemas['RegistryEventType'];
export type EventsHistoryResponse = Schemas['EventsHistoryResponse'];
export type ErrorResponse = Schemas['ErrorResponse'];

/** Every event type `GET /events?type=` accepts, in the API's order. */
export const registryEventTypes: readonly RegistryEventType[] = [
  'register',
  'heartbeat',
  'update',
  'unregister',
  'unhealthy',
  'recovered',
  'expire',
  'rotate',
  'dependency_resolved',
  'dependency_unresolved',
  'refused',
];
export type TraceResponse = Schemas['TraceResponse'];
export type SpanInfo = Schemas['SpanInfo'];
export type RecentTracesResponse = Schemas['RecentTracesResponse'];
export type TraceSummary = Schemas['TraceSummary'];
