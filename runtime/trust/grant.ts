/**
 * What a credential lets its holder do. Minted into the credential's `mesh` claim by
 * `meshctl trust mint` and trusted because the mesh signing key signed it.
 */
export interface CredentialGrant {
  /** Agent names (the spec's `name`) the holder may register and speak for. */
  readonly agents?: readonly string[];
  /** Namespaces whose agents the holder may register and speak for. */
  readonly namespaces?: readonly string[];
  /** Tags the holder carries as a caller (a tool's `allowed_callers.tags` matches them). */
  readonly tags?: readonly string[];
  /** Admin: delete any agent, use the registry's proxy, read events when they are protected. */
  readonly admin?: boolean;
}

/** Who an agent says it is: the name and namespace it registers with. */
export interface AgentName {
  readonly name: string;
  readonly namespace: string;
}

/**
 * Whether `grant` covers the agent `agent`: an admin covers every agent; otherwise every list
 * the grant has must hold the agent's entry (both lists: the name within those namespaces), and
 * a grant with neither list covers no agent.
 */
export function grantCovers(grant: CredentialGrant, agent: AgentName): boolean {
  if (grant.admin === true) return true;
  if (grant.agents === undefined && grant.namespaces === undefined) return false;
  return (
    (grant.agents === undefined || grant.agents.includes(agent.name)) &&
    (grant.namespaces === undefined || grant.namespaces.includes(agent.namespace))
  );
}

/** The grant in words, for messages and events. */
export function describeGrant(grant: CredentialGrant): string {
  const parts = [
    ...(grant.admin === true ? ['admin'] : []),
    ...(grant.agents === undefined ? [] : [`agents ${grant.agents.join(',')}`]),
    ...(grant.namespaces === undefined ? [] : [`namespaces ${grant.namespaces.join(',')}`]),
  ];
  return parts.length === 0 ? 'nothing' : parts.join('; ');
}
