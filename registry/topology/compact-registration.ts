import type { DependencyRequest, DependencySpec } from '../resolution/provider.js';
import type { AgentRegistration, ToolRegistration } from './registration.js';

// Replicas of one agent repeat the same tags and kwargs thousands of times over. Equal values
// are shared, found by their JSON text and frozen since shared. Agents choose these values, so
// the memo is bounded: past the limit it starts over (what is shared already stays shared).
const memoLimit = 1000;
const sharedValues = new Map<string, unknown>();

function shared<T>(value: T): T {
  const key = JSON.stringify(value);
  const known = sharedValues.get(key);
  if (known !== undefined) return known as T;
  if (sharedValues.size >= memoLimit) sharedValues.clear();
  sharedValues.set(key, deepFreeze(value));
  return value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const entry of Object.values(value)) deepFreeze(entry);
  }
  return value;
}

/**
 * A registration as the topology keeps it in memory: without its tools' input and output
 * schemas, which nothing there reads (the database keeps them, and they are part of the
 * registration hash) and which would be most of the registry's memory at thousands of agents;
 * and with tags and kwargs equal to other registrations' shared with them.
 */
export function compactRegistration(registration: AgentRegistration): AgentRegistration {
  return { ...registration, tools: registration.tools.map(compactTool) };
}

function compactTool(tool: ToolRegistration): ToolRegistration {
  return {
    functionName: tool.functionName,
    capability: tool.capability,
    version: tool.version,
    tags: shared(tool.tags),
    ...(tool.description === undefined ? {} : { description: tool.description }),
    kwargs: shared(tool.kwargs),
    dependencies: tool.dependencies.map(compactDependency),
  };
}

function compactDependency(dependency: DependencyRequest): DependencyRequest {
  return {
    ...compactSpec(dependency),
    required: dependency.required,
    ...(dependency.fallbacks === undefined
      ? {}
      : { fallbacks: dependency.fallbacks.map(compactSpec) }),
  };
}

function compactSpec(spec: DependencySpec): DependencySpec {
  return {
    capability: spec.capability,
    version: spec.version,
    tags: shared(spec.tags),
    ...(spec.namespace === undefined ? {} : { namespace: spec.namespace }),
  };
}
