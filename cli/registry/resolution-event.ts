/** A `dependency_resolved` / `dependency_unresolved` event's data, whichever registry wrote it. */
export interface ResolutionEventFacts {
  /** The dependency's position in the tool's list; undefined when the event names none. */
  readonly position: number | undefined;
  readonly capability: string;
  readonly version: string;
  /** `agent.tool` (ours) or the agent id (the predecessor's, which may omit the tool); '' when unresolved. */
  readonly chosen: string;
  readonly candidates: number;
  readonly rejected: number;
  readonly reason?: string;
}

type Data = Readonly<Record<string, unknown>>;

/**
 * Reads the facts of a resolution event in the three shapes registries write: ours before 0.3
 * (`chosen` a string `agent.tool`), ours since (`provider`, and `chosen` an object), and the
 * predecessor's (`dep_index`, `spec`, `stages`, `chosen` an object or absent).
 */
export function readResolutionEvent(data: Data | undefined | null): ResolutionEventFacts {
  const d: Data = data ?? {};
  const spec = record(d.spec);
  const stages = Array.isArray(d.stages) ? d.stages.map(record) : [];
  const last = stages.at(-1);
  const position = integer(d.position) ?? integer(d.dep_index);
  const reason = text(d.reason) || text(last?.reason);
  const chosen = chosenOf(d);
  return {
    position,
    capability: text(d.capability) || text(spec.capability),
    version: text(d.version) || text(spec.version_constraint),
    chosen,
    candidates: Array.isArray(d.candidates) ? d.candidates.length : listLength(last?.kept),
    rejected: Array.isArray(d.rejected)
      ? d.rejected.length
      : stages.reduce((sum, stage) => sum + listLength(stage.evicted), 0),
    ...(reason && chosen === '' ? { reason } : {}),
  };
}

function chosenOf(d: Data): string {
  if (typeof d.chosen === 'string') return d.chosen;
  if (typeof d.provider === 'string') return d.provider;
  const chosen = record(d.chosen);
  const agent = text(chosen.agent_id);
  if (!agent) return '';
  const tool = text(chosen.function_name);
  return tool ? `${agent}.${tool}` : agent;
}

function record(value: unknown): Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Data)
    : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function integer(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

function listLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}
